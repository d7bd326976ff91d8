-- The token vault: a user's upstream (e.g. Google) access and refresh tokens, AES-256-GCM encrypted
-- (dev.gatehouse.identity.vault.VaultCipher). Each value names the key id it was sealed with, so keys rotate
-- without a rewrite: old rows open with their old key and are re-sealed with the active key on their next write.
create table upstream_token (
    user_id       text        not null references app_user (id) on delete cascade,
    provider      text        not null,
    access_token  text        not null,
    refresh_token text,
    expires_at    timestamptz,
    scopes        text        not null default '',
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    primary key (user_id, provider)
);
