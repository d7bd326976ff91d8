-- Read-only replica of tenant-service's organizations, fed by OrganizationCreated events. Services that enable
-- gatehouse.replica.organizations (identity-service, session-service) fill it; in the others it stays empty.
create table organization_replica (
    id            text        primary key,
    slug          text        not null,
    display_name  text        not null,
    event_id      uuid        not null,
    occurred_at   timestamptz not null,
    replicated_at timestamptz not null default now()
);
