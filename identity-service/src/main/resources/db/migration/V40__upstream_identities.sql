-- Upstream accounts (google, microsoft, github, an organization's OIDC SSO) linked to Gatehouse users, named for good
-- by (issuer, subject). email_verified records whether the provider vouched for the address when it was linked:
-- links made with an unverified address are dropped when the address is later proven by someone else.
create table upstream_identity (
    issuer         text        not null,
    subject        text        not null,
    provider       text        not null,
    user_id        text        not null references app_user (id) on delete cascade,
    email          text,
    email_verified boolean     not null,
    created_at     timestamptz not null,
    last_used_at   timestamptz not null,
    primary key (issuer, subject)
);
create index upstream_identity_user on upstream_identity (user_id);
