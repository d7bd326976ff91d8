-- Gatehouse service-kit tables, migrated with their own Flyway history (gatehouse_kit.flyway_schema_history) in their own schema so that
-- every service gets them without copying DDL into its own migrations.

-- Transactional outbox: a row is written in the same transaction as the state change it describes.
create table outbox (
    position     bigserial   primary key,
    event_id     uuid        not null unique,
    topic        text        not null,
    event_key    text        not null,
    event_type   text        not null,
    envelope     text        not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);
-- The relay only ever scans unpublished rows, in commit-position order.
create index outbox_unpublished on outbox (position) where published_at is null;
create index outbox_published_at on outbox (published_at) where published_at is not null;

-- Idempotent consumers: one row per (consumer, event) applied, written in the handler's transaction.
create table inbox (
    consumer    text        not null,
    event_id    uuid        not null,
    event_type  text        not null,
    applied_at  timestamptz not null default now(),
    primary key (consumer, event_id)
);

-- Records that can never be applied (unparseable, unknown version) are kept here instead of being dropped.
create table dead_letter (
    id          bigserial   primary key,
    consumer    text        not null,
    topic       text        not null,
    kafka_partition int     not null,
    kafka_offset bigint     not null,
    reason      text        not null,
    record      text        not null,
    received_at timestamptz not null default now()
);
