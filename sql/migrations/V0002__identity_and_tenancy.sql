-- Identity and tenancy: restaurants, branches, people, devices, tables, sessions, audit.
-- Tenant tables: primary key (restaurant_id, id), composite foreign keys (ARCHITECTURE §4).

create table app.restaurants (
    id uuid primary key default app.uuid7(),
    name text not null check (length(name) between 1 and 120),
    slug text not null unique check (slug ~ '^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$'),
    currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
    timezone text not null,
    locale text not null default 'en' check (locale ~ '^[a-z]{2}(-[A-Z]{2})?$'),
    search_config regconfig not null default 'simple',
    plan text not null default 'standard' check (plan in ('trial', 'standard', 'pro')),
    status text not null default 'active' check (status in ('active', 'suspended')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
comment on table app.restaurants is 'The tenant: every other tenant row carries its id.';

create table app.branches (
    restaurant_id uuid not null references app.restaurants (id),
    id uuid not null default app.uuid7(),
    name text not null check (length(name) between 1 and 120),
    address text check (length(address) <= 500),
    timezone text,
    auto_accept boolean not null default false,
    qr_requires_open_table boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz,
    primary key (restaurant_id, id),
    unique (restaurant_id, name)
);
comment on table app.branches is 'A location of a restaurant; soft-deleted rows stay for history.';

create table app.users (
    id uuid primary key default app.uuid7(),
    email text unique check (email = lower(email) and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    name text not null check (length(name) between 1 and 120),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
comment on table app.users is 'A person; may belong to several restaurants through memberships.';

create table app.memberships (
    restaurant_id uuid not null references app.restaurants (id),
    id uuid not null default app.uuid7(),
    user_id uuid not null references app.users (id),
    role text not null check (role in ('owner', 'manager', 'waiter', 'kitchen')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz,
    primary key (restaurant_id, id),
    unique (restaurant_id, user_id)
);
comment on table app.memberships is 'A user''s role in one restaurant (the staff member).';
create index memberships_user_id_idx on app.memberships (user_id);

create table app.membership_branches (
    restaurant_id uuid not null,
    membership_id uuid not null,
    branch_id uuid not null,
    primary key (restaurant_id, membership_id, branch_id),
    foreign key (restaurant_id, membership_id)
    references app.memberships (restaurant_id, id) on delete cascade,
    foreign key (restaurant_id, branch_id) references app.branches (restaurant_id, id)
);
comment on table app.membership_branches is
'Branch scope of a membership; none means the whole restaurant.';
create index membership_branches_branch_idx on app.membership_branches (restaurant_id, branch_id);

create table app.stations (
    restaurant_id uuid not null,
    id uuid not null default app.uuid7(),
    branch_id uuid not null,
    name text not null check (length(name) between 1 and 60),
    is_default boolean not null default false,
    target_seconds integer not null default 600 check (target_seconds between 30 and 7200),
    created_at timestamptz not null default now(),
    primary key (restaurant_id, id),
    unique (restaurant_id, branch_id, name),
    foreign key (restaurant_id, branch_id) references app.branches (restaurant_id, id)
);
comment on table app.stations is 'A kitchen station (grill, bar, ...) of a branch; tickets route to it.';
create unique index stations_one_default_idx on app.stations (restaurant_id, branch_id)
where is_default;

create table app.dining_tables (
    restaurant_id uuid not null,
    id uuid not null default app.uuid7(),
    branch_id uuid not null,
    label text not null check (length(label) between 1 and 40),
    seats integer not null default 2 check (seats between 1 and 100),
    qr_token text not null unique
    default translate(encode(extensions.gen_random_bytes(18), 'base64'), '+/', '-_'),
    created_at timestamptz not null default now(),
    deleted_at timestamptz,
    primary key (restaurant_id, id),
    unique (restaurant_id, branch_id, id),
    foreign key (restaurant_id, branch_id) references app.branches (restaurant_id, id)
);
comment on table app.dining_tables is 'A table guests sit at; its random qr_token opens a session.';
create unique index dining_tables_label_idx on app.dining_tables (restaurant_id, branch_id, label)
where deleted_at is null;

create table app.table_sessions (
    restaurant_id uuid not null,
    id uuid not null default app.uuid7(),
    branch_id uuid not null,
    table_id uuid not null,
    opened_by uuid,
    opened_at timestamptz not null default now(),
    closed_at timestamptz,
    closed_by uuid,
    primary key (restaurant_id, id),
    foreign key (restaurant_id, branch_id) references app.branches (restaurant_id, id),
    -- The session's branch is its table's branch: no session can straddle two.
    foreign key (restaurant_id, branch_id, table_id)
    references app.dining_tables (restaurant_id, branch_id, id),
    -- Staff named on a row are members of that row's restaurant.
    foreign key (restaurant_id, opened_by) references app.memberships (restaurant_id, user_id),
    foreign key (restaurant_id, closed_by) references app.memberships (restaurant_id, user_id)
);
comment on table app.table_sessions is
'One sitting at a table; customer tokens are scoped to it and die when it closes.';
create unique index table_sessions_one_open_idx on app.table_sessions (restaurant_id, table_id)
where closed_at is null;
create index table_sessions_branch_idx on app.table_sessions (restaurant_id, branch_id, opened_at);

create table app.devices (
    restaurant_id uuid not null,
    id uuid not null default app.uuid7(),
    branch_id uuid not null,
    name text not null check (length(name) between 1 and 60),
    failed_pins integer not null default 0,
    locked_until timestamptz,
    last_seen_at timestamptz,
    created_at timestamptz not null default now(),
    revoked_at timestamptz,
    primary key (restaurant_id, id),
    foreign key (restaurant_id, branch_id) references app.branches (restaurant_id, id)
);
comment on table app.devices is 'A KDS or POS screen pinned to one branch; revocable at once.';
create index devices_branch_idx on app.devices (restaurant_id, branch_id);

create table app.device_codes (
    restaurant_id uuid not null,
    id uuid not null default app.uuid7(),
    branch_id uuid not null,
    code_hash bytea not null unique,
    created_by uuid,
    expires_at timestamptz not null,
    used_at timestamptz,
    device_id uuid,
    created_at timestamptz not null default now(),
    primary key (restaurant_id, id),
    foreign key (restaurant_id, branch_id) references app.branches (restaurant_id, id),
    foreign key (restaurant_id, device_id) references app.devices (restaurant_id, id),
    foreign key (restaurant_id, created_by) references app.memberships (restaurant_id, user_id)
);
comment on table app.device_codes is 'Single-use, expiring code that pins a new device to a branch.';

create table app.onboarding_codes (
    id uuid primary key default app.uuid7(),
    code_hash bytea not null unique,
    plan text not null default 'standard' check (plan in ('trial', 'standard', 'pro')),
    created_by uuid references app.users (id),
    expires_at timestamptz not null,
    used_at timestamptz,
    restaurant_id uuid references app.restaurants (id),
    created_at timestamptz not null default now()
);
comment on table app.onboarding_codes is
'Single-use, expiring code a platform admin issues so a restaurant can sign up.';

-- Secrets: unreachable by any request role (no usage on app_private).
create table app_private.credentials (
    user_id uuid primary key references app.users (id),
    password_hash text not null,
    updated_at timestamptz not null default now()
);
comment on table app_private.credentials is 'bcrypt password hashes (pgcrypto crypt, bf).';

create table app_private.staff_pins (
    restaurant_id uuid not null,
    membership_id uuid not null,
    pin_hash bytea not null,
    primary key (restaurant_id, membership_id),
    unique (restaurant_id, pin_hash),
    foreign key (restaurant_id, membership_id)
    references app.memberships (restaurant_id, id) on delete cascade
);
comment on table app_private.staff_pins is
'Staff PINs, hashed with the restaurant id; unique per restaurant so a PIN names one person.';

create table app_private.platform_admins (
    user_id uuid primary key references app.users (id),
    totp_secret bytea not null,
    last_totp_step bigint not null default 0
);
comment on table app_private.platform_admins is
'Platform admins and their TOTP secrets (pgp_sym_encrypt with a key from the environment).';

create table app_private.device_secrets (
    restaurant_id uuid not null,
    device_id uuid not null,
    token_hash bytea not null unique,
    primary key (restaurant_id, device_id),
    foreign key (restaurant_id, device_id) references app.devices (restaurant_id, id)
);
comment on table app_private.device_secrets is 'sha256 of each device token.';

create table app_private.refresh_tokens (
    id uuid primary key default app.uuid7(),
    family_id uuid not null,
    token_hash bytea not null unique,
    user_id uuid not null references app.users (id),
    restaurant_id uuid references app.restaurants (id),
    claims jsonb not null,
    issued_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz,
    revoked_at timestamptz
);
comment on table app_private.refresh_tokens is
'Refresh tokens (sha256), rotated within a family; reuse of a spent one revokes the family.';
create index refresh_tokens_family_idx on app_private.refresh_tokens (family_id);
create index refresh_tokens_expires_idx on app_private.refresh_tokens (expires_at);

-- UNLOGGED: losing buckets in a crash only forgives a few attempts.
create unlogged table app_private.rate_buckets (
    key text primary key,
    tokens double precision not null,
    allowed boolean not null,
    updated_at timestamptz not null default clock_timestamp()
);
comment on table app_private.rate_buckets is 'Token buckets for rate limits, one row per key.';
alter table app_private.rate_buckets set (fillfactor = 70);

-- Audit trail, partitioned by month; written only by app_private.tg_audit.
create table audit.log (
    id bigint generated always as identity,
    at timestamptz not null default now(),
    restaurant_id uuid,
    actor_user_id uuid,
    actor_role text,
    table_name text not null,
    row_id text,
    action text not null check (action in ('insert', 'update', 'delete')),
    old_values jsonb,
    new_values jsonb,
    primary key (at, id)
) partition by range (at);
comment on table audit.log is 'Who changed which row, when, from what to what (no secrets).';
create index log_restaurant_idx on audit.log (restaurant_id, at);

create table audit.log_default partition of audit.log default;

do $$
declare
    v_month date := date_trunc('month', now() - interval '1 month');
begin
    for i in 0..4 loop
        execute format(
            'create table audit.%I partition of audit.log for values from (%L) to (%L)',
            'log_' || to_char(v_month, 'YYYYMM'), v_month, v_month + interval '1 month'
        );
        v_month := v_month + interval '1 month';
    end loop;
end;
$$;

-- Grants: requests reach rows through RLS; writes name their columns.
grant select on app.restaurants to staff, platform, customer;
grant update (name, currency, timezone, locale, search_config, updated_at) on app.restaurants
to staff;
grant update (status, plan, updated_at) on app.restaurants to platform;

grant select on app.branches to staff, customer, platform;
grant insert (restaurant_id, name, address, timezone, auto_accept, qr_requires_open_table)
on app.branches to staff;
grant update (name, address, timezone, auto_accept, qr_requires_open_table, updated_at, deleted_at)
on app.branches to staff;

grant select on app.users to staff, platform;
grant update (name, updated_at) on app.users to staff;

grant select on app.memberships to staff, platform;
grant update (role, updated_at, deleted_at) on app.memberships to staff;

grant select, delete on app.membership_branches to staff;
grant insert (restaurant_id, membership_id, branch_id) on app.membership_branches to staff;

grant select on app.stations to staff;
grant insert (restaurant_id, branch_id, name, is_default, target_seconds) on app.stations to staff;
grant update (name, is_default, target_seconds) on app.stations to staff;
grant delete on app.stations to staff;

grant select on app.dining_tables to staff;
grant insert (restaurant_id, branch_id, label, seats) on app.dining_tables to staff;
grant update (label, seats, deleted_at) on app.dining_tables to staff;

grant select on app.table_sessions to staff, customer;
grant insert (restaurant_id, branch_id, table_id, opened_by) on app.table_sessions to staff;
grant update (closed_at, closed_by) on app.table_sessions to staff;

grant select on app.devices to staff;
grant update (name, revoked_at) on app.devices to staff;

grant select (restaurant_id, id, branch_id, created_by, expires_at, used_at, device_id, created_at)
on app.device_codes to staff;
grant insert (restaurant_id, branch_id, code_hash, created_by, expires_at) on app.device_codes
to staff;

grant select (id, plan, created_by, expires_at, used_at, restaurant_id, created_at)
on app.onboarding_codes to platform;
grant insert (code_hash, plan, created_by, expires_at) on app.onboarding_codes to platform;

grant usage on schema audit to staff, platform;
grant select on audit.log to staff, platform;
