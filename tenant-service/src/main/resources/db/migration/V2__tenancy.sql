-- Organizations gain branding, metadata, archiving and the external identity of provisioned tenants.
alter table organization
    add column logo_url        text,
    add column primary_color   text,
    add column accent_color    text,
    add column metadata        jsonb       not null default '{}',
    add column archived_at     timestamptz,
    add column external_issuer text,
    add column external_id     text;
-- First sight of an external org_id provisions exactly one tenant: concurrent provisionings meet here.
create unique index organization_external on organization (external_issuer, external_id) where external_id is not null;

-- Custom roles of an organization; the built-in viewer < operator < admin live in code (RbacConfig).
create table role (
    organization_id text        not null references organization (id),
    key             text        not null,
    display_name    text        not null,
    description     text,
    permissions     text[]      not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    primary key (organization_id, key)
);

-- user <-> organization, with the roles granted directly. The primary key serves the permission lookup of token
-- minting and the member list (by user id); the second index serves "a user's organizations".
create table membership (
    organization_id text        not null references organization (id),
    user_id         text        not null,
    roles           text[]      not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    primary key (organization_id, user_id)
);
create index membership_by_user on membership (user_id, organization_id);

create table user_group (
    id                        text        primary key,
    organization_id           text        not null references organization (id),
    name                      text        not null,
    description               text,
    roles                     text[]      not null,
    rate_limit_requests       int,
    rate_limit_window_seconds int,
    rate_limit_burst          int,
    created_at                timestamptz not null,
    updated_at                timestamptz not null
);
create unique index user_group_name on user_group (organization_id, name);
create index user_group_by_org on user_group (organization_id, id);

create table group_member (
    group_id        text        not null references user_group (id) on delete cascade,
    organization_id text        not null,
    user_id         text        not null,
    created_at      timestamptz not null,
    primary key (group_id, user_id)
);
-- the permission lookup: a member's groups in one organization
create index group_member_by_user on group_member (organization_id, user_id);

create table api_key (
    id              text        primary key,
    organization_id text        not null references organization (id),
    group_id        text        references user_group (id) on delete set null,
    name            text        not null,
    prefix          text        not null unique,
    secret_hash     text        not null unique,
    created_by      text        not null,
    created_at      timestamptz not null,
    expires_at      timestamptz,
    last_used_at    timestamptz,
    revoked_at      timestamptz
);
create index api_key_by_org on api_key (organization_id, id);
create index api_key_by_group on api_key (group_id) where revoked_at is null;

create table invitation (
    id              text        primary key,
    organization_id text        not null references organization (id),
    email           text        not null,
    role            text        not null,
    nonce           text        not null,
    invited_by      text        not null,
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    accepted_at     timestamptz,
    accepted_by     text,
    revoked_at      timestamptz
);
create index invitation_by_org on invitation (organization_id, id);

create table domain (
    organization_id    text        not null references organization (id),
    domain             text        not null,
    verification_token text        not null,
    created_at         timestamptz not null,
    verified_at        timestamptz,
    primary key (organization_id, domain)
);
-- a domain routes sign-in to one organization: only one may have it verified
create unique index domain_verified on domain (domain) where verified_at is not null;
