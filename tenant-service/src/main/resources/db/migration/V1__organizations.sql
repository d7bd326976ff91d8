create table organization (
    id           text        primary key,
    slug         text        not null,
    display_name text        not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null
);
create unique index organization_slug on organization (slug);
