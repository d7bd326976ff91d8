create table app_user (
    id             text        primary key,
    username       text,
    email          text,
    email_verified boolean     not null default false,
    display_name   text,
    picture_url    text,
    platform_admin boolean     not null default false,
    created_at     timestamptz not null,
    updated_at     timestamptz not null
);
create unique index app_user_username on app_user (lower(username));
create unique index app_user_email on app_user (lower(email));

-- Human passwords only, as PHC strings (argon2id); never the password itself.
create table password_credential (
    user_id    text        primary key references app_user (id) on delete cascade,
    hash       text        not null,
    updated_at timestamptz not null
);
