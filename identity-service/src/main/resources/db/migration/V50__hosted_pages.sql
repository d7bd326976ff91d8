-- The hosted pages (dev.gatehouse.identity.pages). A high version so the other identity migrations keep their order.

-- Branding of each organization as tenant-service publishes it (OrganizationCreated / OrganizationUpdated on
-- gatehouse.tenant.organization.v1): what the hosted pages wear for that organization.
create table page_theme (
    organization_id text        primary key,
    slug            text        not null,
    display_name    text        not null,
    logo_url        text,
    primary_color   text,
    accent_color    text,
    occurred_at     timestamptz not null
);
create index page_theme_slug on page_theme (slug);

-- Scopes a user granted a third-party client on the consent page; asked again only for scopes not yet granted.
create table page_consent (
    user_id    text        not null,
    client_id  text        not null,
    scopes     text[]      not null,
    granted_at timestamptz not null,
    primary key (user_id, client_id)
);
