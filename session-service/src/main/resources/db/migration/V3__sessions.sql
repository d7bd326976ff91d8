-- Sessions: one per sign-in. PostgreSQL holds the durable record; Redis the hot state (SessionHotState).
create table session (
    id                  text primary key,
    user_id             text        not null,
    organization_id     text,
    client_id           text        not null,
    scope               text        not null default '',
    -- the audiences its access tokens carry, space-separated (fixed at sign-in; a refresh may narrow per token)
    audience            text        not null default '',
    claims              jsonb       not null default '{}',
    platform_admin      boolean     not null default false,
    user_agent          text,
    ip_address          text,
    auth_time           timestamptz not null,
    created_at          timestamptz not null,
    last_seen_at        timestamptz not null,
    absolute_expires_at timestamptz not null,
    tokens_expire_by    timestamptz not null,
    -- browser sessions: hash of the handle sealed into the cookie
    handle_hash         bytea,
    revoked_at          timestamptz,
    revoked_reason      text
);
create index session_active_by_user on session (user_id, created_at) where revoked_at is null;
create index session_active_by_user_org on session (user_id, organization_id) where revoked_at is null;
create index session_by_client on session (client_id) where revoked_at is null;

-- Refresh tokens: one family per session. A row is rotated exactly once (rotated_at set by a conditional update);
-- presenting a rotated token again is reuse and revokes the session.
create table refresh_token (
    token_hash  bytea primary key,
    session_id  text        not null references session (id) on delete cascade,
    client_id   text        not null,
    scope       text        not null,
    issued_at   timestamptz not null,
    expires_at  timestamptz not null,
    rotated_at  timestamptz
);
create index refresh_token_by_session on refresh_token (session_id);
create index refresh_token_expiry on refresh_token (expires_at);
