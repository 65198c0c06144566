-- Orders, kitchen tickets and the event log of ARCHITECTURE §6 (issue 5).
-- Request roles only read these tables (RLS); every write goes through a SECURITY DEFINER
-- function in api/ that checks the claims and the rules first (ADR 0004, ADR 0009).

-- Money settings of a restaurant, in basis points (1500 = 15 %).
alter table app.restaurants
add column tax_rate_bp integer not null default 0 check (tax_rate_bp between 0 and 10000),
add column tax_inclusive boolean not null default false,
add column service_charge_bp integer not null default 0
check (service_charge_bp between 0 and 10000);
comment on column app.restaurants.tax_rate_bp is 'Sales tax in basis points (1500 = 15 %).';
comment on column app.restaurants.tax_inclusive is
'Menu prices already include the tax (true) or tax is added on top (false).';
comment on column app.restaurants.service_charge_bp is
'Service charge in basis points of the subtotal after discount; taxed like the food.';
-- The owner changes them (api.update_restaurant); RLS of restaurants decides which row.
grant update (tax_rate_bp, tax_inclusive, service_charge_bp) on app.restaurants to staff;

-- Idle table sessions are those without an order for a while, not merely old ones.
alter table app.table_sessions
add column last_activity_at timestamptz not null default now();
comment on column app.table_sessions.last_activity_at is
'Last order or addition in this session: idle-session expiry counts from here.';

create table app.orders (
    restaurant_id uuid not null,
    id uuid not null default app.uuid7(),
    branch_id uuid not null,
    session_id uuid not null,
    -- Short and gap-free per branch and business day (app_private.order_numbers).
    number integer not null check (number > 0),
    business_date date not null,
    status text not null default 'placed' check (
        status in (
            'placed', 'accepted', 'preparing', 'ready', 'served', 'completed', 'cancelled', 'voided'
        )
    ),
    currency char(3) not null,
    -- Money as charged, in minor units, fixed when the order is priced; see place_order.
    subtotal integer not null check (subtotal >= 0),
    discount integer not null default 0 check (discount >= 0),
    service_charge integer not null default 0 check (service_charge >= 0),
    tax integer not null default 0 check (tax >= 0),
    total integer not null check (total >= 0),
    tax_rate_bp integer not null,
    tax_inclusive boolean not null,
    service_charge_bp integer not null,
    placed_by_role text not null check (placed_by_role in ('customer', 'staff')),
    placed_by uuid,
    void_reason text check (length(void_reason) between 1 and 500),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    accepted_at timestamptz,
    ready_at timestamptz,
    primary key (restaurant_id, id),
    unique (restaurant_id, branch_id, business_date, number),
    -- Referenced by the rows that copy the order's branch and session for their policies, so
    -- a copy can never disagree with its order.
    unique (restaurant_id, id, branch_id),
    unique (restaurant_id, id, branch_id, session_id),
    foreign key (restaurant_id, branch_id) references app.branches (restaurant_id, id),
    foreign key (restaurant_id, session_id) references app.table_sessions (restaurant_id, id),
    foreign key (restaurant_id, placed_by) references app.memberships (restaurant_id, user_id),
    check ((status = 'voided') = (void_reason is not null))
);
comment on table app.orders is
'An order of a table session, priced from the catalog when placed; written only by api functions.';
create index orders_branch_status on app.orders (restaurant_id, branch_id, status, created_at);
create index orders_session on app.orders (restaurant_id, session_id);

create table app.tickets (
    restaurant_id uuid not null,
    id uuid not null default app.uuid7(),
    branch_id uuid not null,
    order_id uuid not null,
    station_id uuid not null,
    -- Derived from its items by app_private.refresh_ticket(); never set by hand.
    status text not null default 'queued'
    check (status in ('queued', 'in_progress', 'ready', 'cancelled')),
    rush boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    started_at timestamptz,
    ready_at timestamptz,
    primary key (restaurant_id, id),
    foreign key (restaurant_id, order_id, branch_id)
    references app.orders (restaurant_id, id, branch_id),
    foreign key (restaurant_id, station_id) references app.stations (restaurant_id, id),
    foreign key (restaurant_id, branch_id) references app.branches (restaurant_id, id)
);
comment on table app.tickets is
'What one station must prepare for one round of an order; its status follows its items.';
create index tickets_board on app.tickets (restaurant_id, branch_id, status, created_at);
create index tickets_order on app.tickets (restaurant_id, order_id);

create table app.order_items (
    restaurant_id uuid not null,
    id uuid not null default app.uuid7(),
    order_id uuid not null,
    -- Copied from the order so that policies need no join.
    branch_id uuid not null,
    session_id uuid not null,
    item_id uuid not null,
    category_id uuid not null,
    -- As ordered: a later menu edit does not rewrite history.
    name text not null,
    quantity integer not null check (quantity between 1 and 99),
    unit_price integer not null,
    options jsonb not null default '[]' check (jsonb_typeof(options) = 'array'),
    note text check (length(note) <= 200),
    course integer not null default 1 check (course between 1 and 9),
    -- Which addition to the order brought it: each round is sent to the kitchen once.
    round integer not null default 1 check (round >= 1),
    -- Its place in the request that brought it: lines are shown in the order they were sent.
    position integer not null default 1 check (position >= 1),
    -- pending: not sent yet (order not accepted); held: sent, waiting for its course to fire.
    status text not null default 'pending'
    check (status in ('pending', 'held', 'queued', 'in_progress', 'ready', 'cancelled')),
    ticket_id uuid,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (restaurant_id, id),
    foreign key (restaurant_id, order_id, branch_id, session_id)
    references app.orders (restaurant_id, id, branch_id, session_id),
    foreign key (restaurant_id, item_id) references app.items (restaurant_id, id),
    foreign key (restaurant_id, ticket_id) references app.tickets (restaurant_id, id),
    check ((ticket_id is null) = (status = 'pending') or status = 'cancelled')
);
comment on table app.order_items is
'A line of an order with its name, options and price as ordered, and its kitchen status.';
create index order_items_order on app.order_items (restaurant_id, order_id);
create index order_items_ticket on app.order_items (restaurant_id, ticket_id);
-- Policy columns are indexed (ARCHITECTURE §4).
create index order_items_branch on app.order_items (restaurant_id, branch_id);
create index order_items_session on app.order_items (restaurant_id, session_id);

create table app.order_status_changes (
    restaurant_id uuid not null,
    id uuid not null default app.uuid7(),
    order_id uuid not null,
    branch_id uuid not null,
    from_status text,
    to_status text not null,
    -- The staff member, or for a guest the table session (a guest has no user).
    actor_user_id uuid,
    actor_role text not null,
    reason text,
    -- clock_timestamp: two changes in one transaction (placed, then auto-accepted) keep order.
    at timestamptz not null default clock_timestamp(),
    primary key (restaurant_id, id),
    foreign key (restaurant_id, order_id, branch_id)
    references app.orders (restaurant_id, id, branch_id)
);
comment on table app.order_status_changes is
'Every transition of every order: who, when, from, to (and why, for voids).';
create index order_status_changes_order on app.order_status_changes (restaurant_id, order_id, at);
create index order_status_changes_branch on app.order_status_changes (restaurant_id, branch_id, at);

-- The state machine as data: a transition not listed here is refused with invalid_transition.
-- actor: staff (any staff), manager (owner or manager), customer (the order's guest), system
-- (made by the kitchen flow itself: ticket starts and bumps).
create table app_private.order_transitions (
    from_status text not null,
    to_status text not null,
    actor text not null check (actor in ('staff', 'manager', 'customer', 'system')),
    primary key (from_status, to_status, actor)
);
comment on table app_private.order_transitions is
'Allowed order transitions and who may make them; everything else is invalid_transition.';
insert into app_private.order_transitions (from_status, to_status, actor) values
('placed', 'accepted', 'staff'),
('placed', 'accepted', 'system'),
('accepted', 'preparing', 'system'),
('accepted', 'ready', 'system'),
('preparing', 'ready', 'system'),
-- A recalled ticket or a new round sends a ready order back to the kitchen.
('ready', 'preparing', 'system'),
-- Every line cancelled while the kitchen had the order: nothing is left to make or to charge.
('preparing', 'cancelled', 'system'),
('ready', 'cancelled', 'system'),
('ready', 'served', 'staff'),
('served', 'completed', 'staff'),
('placed', 'cancelled', 'customer'),
('placed', 'cancelled', 'staff'),
('accepted', 'cancelled', 'staff'),
('placed', 'voided', 'manager'),
('accepted', 'voided', 'manager'),
('preparing', 'voided', 'manager'),
('ready', 'voided', 'manager'),
('served', 'voided', 'manager');

-- Gap-free order numbers: the counter row is updated in the order's own transaction, so a
-- rolled-back order gives its number back, and concurrent orders of a branch queue on it.
create table app_private.order_numbers (
    restaurant_id uuid not null,
    branch_id uuid not null,
    business_date date not null,
    last_number integer not null,
    primary key (restaurant_id, branch_id, business_date)
);
comment on table app_private.order_numbers is
'Last order number given per branch and business day (the branch''s local date).';

create table app_private.idempotency_keys (
    restaurant_id uuid not null,
    -- Who sent it: the table session or the staff member; keys of different callers never meet.
    principal uuid not null,
    key text not null check (length(key) between 1 and 200),
    request_hash bytea not null,
    order_id uuid not null,
    created_at timestamptz not null default now(),
    primary key (restaurant_id, principal, key)
);
comment on table app_private.idempotency_keys is
'Idempotency-Key of order placements, kept 24 h: a repeat returns the first order.';
create index idempotency_keys_created on app_private.idempotency_keys (created_at);

-- The event log. Ids are per branch and taken from queue.event_heads in the writing
-- transaction, whose row lock is held until commit: within a branch ids become visible in
-- id order, so "id > last seen" never skips a row (ADR 0009).
create table queue.event_heads (
    restaurant_id uuid not null,
    branch_id uuid not null,
    last_id bigint not null default 0,
    primary key (restaurant_id, branch_id)
);
comment on table queue.event_heads is
'Last event id per branch; updated by the writing transaction, so ids commit in order.';

create table queue.events (
    restaurant_id uuid not null,
    branch_id uuid not null,
    id bigint not null,
    created_at timestamptz not null default now(),
    channel text not null check (channel in ('kitchen', 'orders', 'queue')),
    type text not null check (type ~ '^[a-z]+\.[a-z_]+$'),
    -- Routing keys: who may receive it. Null station: every station; null session: staff only.
    station_id uuid,
    session_id uuid,
    order_id uuid,
    payload jsonb not null,
    primary key (restaurant_id, branch_id, id, created_at)
) partition by range (created_at);
comment on table queue.events is
'Events of orders and tickets for SSE fan-out and Last-Event-ID replay; partitioned by month.';
create table queue.events_default partition of queue.events default;
-- A guest's replay reads by session (the policy column); screens read by the primary key.
create index events_session on queue.events (restaurant_id, session_id, id);
comment on table queue.events_default is 'Rows of months with no partition yet.';

insert into app_private.retention (table_name, keep, months_ahead, description) values
('queue.events', interval '3 months', 3, 'SSE event log: replay needs hours, kept 3 months.');

alter table queue.events enable row level security;
alter table queue.events force row level security;
alter table queue.event_heads enable row level security;
alter table queue.event_heads force row level security;

grant usage on schema queue to staff, customer, authenticator;
grant select on app.orders, app.order_items, app.tickets, app.order_status_changes
to staff, customer;
grant select on queue.events to staff, customer;

insert into app_private.job_settings (name, value, description) values
(
    'idempotency_key_keep', interval '24 hours',
    'An order''s Idempotency-Key answers repeats this long, then is deleted.'
),
(
    'rate_bucket_idle', interval '1 day',
    'Rate-limit buckets untouched this long are deleted (they refill to full by then anyway).'
);
