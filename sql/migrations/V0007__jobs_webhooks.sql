-- Schedules and their settings, partition retention, outbound webhooks and notifications
-- (ARCHITECTURE §7 and §9, issue 6). The jobs themselves are sql/jobs/*.sql; the functions
-- they call are sql/functions/app_private/*.sql.

-- Detached partitions past their retention land here: out of every query plan of the live
-- tables, still readable by the owner (and a DBA) until they are dumped and dropped.
create schema archive;
comment on schema archive is
'Partitions detached past their retention; owner only, no request role has usage.';

-- Tunables of the scheduled jobs: a DBA changes one with an UPDATE, no deploy needed.
create table app_private.job_settings (
    name text primary key check (name ~ '^[a-z][a-z0-9_]{1,62}$'),
    value interval not null check (value > interval '0'),
    description text not null
);
comment on table app_private.job_settings is
'How long the scheduled jobs wait before they expire or purge something, by name.';

insert into app_private.job_settings (name, value, description) values
(
    'table_session_idle', interval '12 hours',
    'An open table session idle this long is closed; its customer tokens stop working.'
),
(
    'refresh_token_keep', interval '30 days',
    'Refresh tokens are deleted this long after they expired, were used or were revoked.'
),
(
    'activation_code_keep', interval '30 days',
    'Unused onboarding and device codes are deleted this long after they expired.'
),
(
    'done_task_keep', interval '7 days',
    'Finished (done) queue tasks are purged this long after they finished.'
),
(
    'webhook_delivery_keep', interval '30 days',
    'Webhook delivery log rows are deleted this long after the attempt.'
),
(
    'cron_history_keep', interval '7 days',
    'pg_cron run history (cron.job_run_details) is deleted this long after the run.'
);

-- Partitioned tables, how many months are created ahead and how long partitions are kept.
create table app_private.retention (
    table_name text primary key check (table_name ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'),
    keep interval not null check (keep >= interval '1 month'),
    months_ahead integer not null default 3 check (months_ahead between 1 and 24),
    description text not null
);
comment on table app_private.retention is
'Monthly partitioned tables: partitions created ahead by pg_cron and detached to archive past keep.';

insert into app_private.retention (table_name, keep, months_ahead, description) values
('audit.log', interval '10 years', 3, 'Audit trail: kept ten years.');

-- Outbound webhooks: a restaurant subscribes a URL to event types.
create table app.webhook_subscriptions (
    restaurant_id uuid not null references app.restaurants (id),
    id uuid not null default app.uuid7(),
    -- http(s), a host, no credentials (userinfo) and no whitespace.
    url text not null check (url ~ '^https?://[^/?#@\s]+([/?#]\S*)?$' and length(url) <= 2000),
    event_types text[] not null check (cardinality(event_types) between 1 and 20),
    -- The signing secret, pgp_sym_encrypt'ed with BRIGADE_WEBHOOK_KEY; shown once in clear.
    secret bytea not null,
    active boolean not null default true,
    -- Consecutive failed deliveries; a success resets it, too many disable the subscription.
    failure_count integer not null default 0 check (failure_count >= 0),
    disabled_at timestamptz,
    created_by uuid,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (restaurant_id, id),
    foreign key (restaurant_id, created_by) references app.memberships (restaurant_id, user_id),
    check (active = (disabled_at is null))
);
comment on table app.webhook_subscriptions is
'A URL a restaurant wants signed event deliveries at, for some event types.';
create index webhook_subscriptions_active_idx on app.webhook_subscriptions (restaurant_id)
where active;

create table app.webhook_deliveries (
    restaurant_id uuid not null,
    id uuid not null default app.uuid7(),
    subscription_id uuid not null,
    task_id bigint,
    event_id uuid not null,
    event_type text not null,
    attempt integer not null check (attempt >= 1),
    status_code integer check (status_code between 100 and 599),
    duration_ms integer check (duration_ms >= 0),
    error text check (length(error) <= 1000),
    succeeded boolean not null,
    at timestamptz not null default now(),
    primary key (restaurant_id, id),
    foreign key (restaurant_id, subscription_id)
    references app.webhook_subscriptions (restaurant_id, id) on delete cascade
);
comment on table app.webhook_deliveries is
'One row per delivery attempt of a webhook: status code, duration, error.';
create index webhook_deliveries_subscription_idx
on app.webhook_deliveries (restaurant_id, subscription_id, id);
create index webhook_deliveries_at_idx on app.webhook_deliveries (at);

-- Notifications (email, SMS, push) sent by the worker through a pluggable sender.
create table app.notifications (
    restaurant_id uuid not null references app.restaurants (id),
    id uuid not null default app.uuid7(),
    channel text not null check (channel in ('email', 'sms', 'push')),
    recipient text not null check (length(recipient) between 1 and 320),
    subject text not null default '' check (length(subject) <= 300),
    body text not null check (length(body) <= 20000),
    status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
    -- Which sender handled it: 'table' (the default: recorded here only) or 'smtp'.
    sent_via text,
    last_error text check (length(last_error) <= 1000),
    created_at timestamptz not null default now(),
    sent_at timestamptz,
    primary key (restaurant_id, id),
    check ((status = 'sent') = (sent_at is not null))
);
comment on table app.notifications is
'Outbox of email, SMS and push messages; the worker sends them and records the outcome here.';
create index notifications_pending_idx on app.notifications (created_at)
where status = 'pending';

-- Grants: owners and managers manage webhooks through api functions (RLS decides which).
-- The secret column is never readable by a request role.
grant select (
    restaurant_id, id, url, event_types, active, failure_count, disabled_at, created_by,
    created_at, updated_at
) on app.webhook_subscriptions to staff;
grant insert (restaurant_id, url, event_types, secret, created_by)
on app.webhook_subscriptions to staff;
grant delete on app.webhook_subscriptions to staff;

grant select on app.webhook_deliveries to staff;
grant select on app.notifications to staff;
