-- Signing keys (docs/keys.md). Private keys only encrypted: AES-256-GCM under the KEK named by kek_id, with the kid
-- as associated data. A key is published from created_at, signs from activates_at until retires_at, and is
-- published (then deleted) until expires_at = retires_at + max token lifetime + leeway.
create table signing_key (
    kid                    text primary key,
    algorithm              text        not null check (algorithm in ('RS256', 'ES256')),
    public_jwk             jsonb       not null,
    private_key_ciphertext bytea       not null,
    kek_id                 text        not null,
    created_at             timestamptz not null,
    activates_at           timestamptz not null,
    retires_at             timestamptz,
    expires_at             timestamptz,
    constraint signing_key_retired_with_expiry check ((retires_at is null) = (expires_at is null)),
    constraint signing_key_order check (activates_at >= created_at
        and (retires_at is null or retires_at >= activates_at)
        and (expires_at is null or expires_at >= retires_at))
);
