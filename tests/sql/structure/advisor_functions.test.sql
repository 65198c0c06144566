-- Advisor rules on functions: SECURITY DEFINER only from an allowlist and with a pinned
-- search_path; every function of ours pins `set search_path = ''`.
begin;
select plan(6);
set local search_path = public;

-- The SECURITY DEFINER allowlist: add a function here, with the reason, when it lands.
-- Spell it as regprocedure prints it: schema.name(argtype,argtype).
create temporary table security_definer_allowlist (fn text primary key, reason text not null);
insert into security_definer_allowlist (fn, reason) values
(
    'meta.applied_checksums()',
    'the API login role checks migration readiness without any table right'
),
(
    'api.login(text,text,text,uuid,text,text)',
    'the caller has no identity yet: reads credentials and memberships to mint one'
),
(
    'api.pin_login(text,text,text)',
    'the caller has no identity yet: a device token and a PIN are checked against secrets'
),
(
    'api.refresh(text)',
    'the caller holds only a refresh token: rotates it and derives the claims again'
),
(
    'api.logout(text)',
    'the caller holds only a refresh token: revokes its family in app_private'
),
(
    'api.onboard(text,jsonb,jsonb,text)',
    'the caller has no tenant yet: an onboarding code creates the restaurant and its owner'
),
(
    'api.open_table_session(text,text)',
    'the caller has no identity yet: a scanned QR token opens or joins a table session'
),
(
    'api.activate_device(text,text,text)',
    'the device has no identity yet: a single-use code binds it to a branch'
),
(
    'api.create_activation_code(text,integer)',
    'a platform admin (checked inside) writes an onboarding code outside any tenant'
),
(
    'auth.assert_active()',
    'every request checks its device or table session, rows its own role cannot read'
),
(
    'app_private.tg_audit()',
    'the audit trigger writes audit.log, which no request role may write'
),
(
    'queue.metrics()',
    'the API login role reads queue depth for /metrics without any right on queue.tasks'
),
(
    'app.task_menu_rebuild(jsonb)',
    'the worker has no tenant: it rebuilds a branch''s cached menus across RLS via api.menu'
),
(
    'api.create_staff(uuid,jsonb)',
    'finds a person by email across tenants and writes hashes; tenant and role checked inside'
),
(
    'app.set_staff_pin(uuid,text)',
    'the one way into app_private.staff_pins; tenant, role and owner rule checked inside'
),
(
    'app.staff_has_pin(uuid)',
    'answers only yes or no about a PIN, for a member of the caller''s own restaurant'
),
(
    'app.remove_staff(uuid)',
    'soft-deletes a member and drops their PIN in app_private; checks made inside'
),
(
    'api.menu(uuid,text,text)',
    'public: any live branch''s menu, read and cached without a tenant claim'
),
(
    'api.menu_search(uuid,text,text)',
    'public: searches any live branch''s menu without a tenant claim'
),
(
    'app_private.tg_menu_stale()',
    'a catalog edit marks cached menus stale; the cache is app_private'
),
(
    'app_private.tg_items__search()',
    'keeps the search vector in the restaurant''s configuration, which the writer may not read'
),
(
    'auth.take_request_token(uuid)',
    'the authenticator (only) draws from a restaurant''s request bucket before the transaction'
),
(
    'meta.cron_failures(interval)',
    'the API login role counts failed pg_cron runs for /metrics without any right on cron'
),
(
    'api.test_webhook(uuid)',
    'an owner or manager (checked inside) queues a test delivery; the queue is the owner''s'
),
(
    'app_private.tg_menu_webhooks()',
    'a catalog edit queues menu.changed deliveries: subscriptions and queue are the owner''s'
),
(
    'app.webhook_target(uuid,uuid,text,text)',
    'the worker (only) reads a subscription''s URL and decrypts its secret to deliver'
),
(
    'app.record_webhook_delivery(uuid,uuid,bigint,integer,uuid,text,integer,integer,text,integer,boolean)',
    'the worker (only) logs a delivery and counts failures; no grant lets it write those rows'
),
(
    'app.notification_to_send(uuid,uuid)',
    'the worker (only) reads a pending notification of any restaurant to send it'
),
(
    'app.record_notification(uuid,uuid,text,text,boolean)',
    'the worker (only) marks a notification sent or failed'
),
(
    'api.place_order(uuid,jsonb,text)',
    'no request role writes orders: prices, numbers and keys are written after checks inside'
),
(
    'api.add_order_items(uuid,jsonb)',
    'no request role writes order lines: staff of the order''s branch (checked inside) add a round'
),
(
    'api.transition_order(uuid,text,text)',
    'orders are read-only to requests: a move is checked against order_transitions inside'
),
(
    'api.cancel_order(uuid)',
    'orders are read-only to requests: the guest (while placed) or staff, checked inside'
),
(
    'api.cancel_order_item(uuid,uuid)',
    'order lines are read-only to requests: the guest or staff of the order, checked inside'
),
(
    'api.order_queue_position(uuid)',
    'a guest''s place counts the branch''s other orders, which RLS hides from them; returns counts'
),
(
    'api.start_ticket(uuid)',
    'tickets and lines are read-only to requests: kitchen staff of the branch, checked inside'
),
(
    'api.bump_ticket(uuid)',
    'tickets and lines are read-only to requests: kitchen staff of the branch, checked inside'
),
(
    'api.recall_ticket(uuid)',
    'tickets and lines are read-only to requests: kitchen staff of the branch, checked inside'
),
(
    'api.fire_ticket(uuid,integer)',
    'tickets and lines are read-only to requests: staff of the ticket''s branch, checked inside'
),
(
    'api.rush_ticket(uuid,boolean)',
    'tickets are read-only to requests: staff of the ticket''s branch, checked inside'
),
(
    'queue.events_after(uuid[],uuid[],bigint[],integer)',
    'the authenticator''s SSE listener (only) reads every branch''s new events for its fan-out'
);

-- Functions and procedures of ours (not members of an extension), named by signature.
create temporary view our_functions as
select
    p.oid,
    p.oid::regprocedure::text as fn,
    p.prosecdef,
    p.proconfig,
    -- A SQL-standard body (BEGIN ATOMIC) is bound when created: no search_path can
    -- redirect its names, so it needs no SET clause, which would stop inlining (ADR 0007).
    p.prosqlbody is not null as bound_body
from pg_catalog.pg_proc as p
inner join pg_catalog.pg_namespace as n on p.pronamespace = n.oid
where
    n.nspname in ('app', 'app_private', 'api', 'auth', 'queue', 'audit', 'report', 'meta')
    and p.prokind in ('f', 'p')
    and not exists (
        select 1 from pg_catalog.pg_depend as d
        where
            d.classid = 'pg_catalog.pg_proc'::regclass
            and d.objid = p.oid
            and d.deptype = 'e'
    );

create temporary view security_definer_violations as
select
    f.fn,
    v.problem
from our_functions as f
cross join
    lateral (
        values
        (
            'not in the allowlist',
            not exists (
                select 1 from security_definer_allowlist as a
                where a.fn = f.fn
            )
        ),
        (
            'search_path not pinned',
            not exists (
                select 1 from pg_catalog.unnest(f.proconfig) as c (setting)
                where c.setting like 'search\_path=%'
            )
        )
    ) as v (problem, failed)
where f.prosecdef and v.failed;

create temporary view security_definer_allowlist_stale as
select a.fn
from security_definer_allowlist as a
where not exists (
    select 1 from our_functions as f
    where f.fn = a.fn and f.prosecdef
);

create temporary view search_path_violations as
select
    f.fn,
    case
        when not exists (
            select 1 from pg_catalog.unnest(f.proconfig) as c (setting)
            where c.setting like 'search\_path=%'
        ) then 'search_path not set'
        else 'search_path not empty'
    end as problem
from our_functions as f
where
    not coalesce('search_path=""' = any(f.proconfig), false)
    and not (f.bound_body and not f.prosecdef);

select is_empty(
    'select * from security_definer_violations',
    'Every SECURITY DEFINER function of ours is allowlisted and pins its search_path.'
);

select is_empty(
    'select * from security_definer_allowlist_stale',
    'Every allowlisted function exists and is SECURITY DEFINER: the allowlist has no dead entry.'
);

select is_empty(
    'select * from search_path_violations',
    'Every function and procedure of ours pins set search_path = ''''.'
);

-- The rules must be able to fail.
create function app.advisor_unpinned() returns integer
language sql immutable
as $$ select 1 $$;

create function app.advisor_public_path() returns integer
language sql immutable
set search_path = public
as $$ select 1 $$;

create procedure queue.advisor_unpinned_proc()
language sql
as $$ select 1 $$;

create function api.advisor_definer(restaurant_id uuid) returns integer
language sql stable security definer
set search_path = ''
as $$ select 1 $$;

create function app_private.advisor_definer_unpinned() returns integer
language sql stable security definer
as $$ select 1 $$;

create function app.advisor_good() returns integer
language sql immutable
set search_path = ''
as $$ select 1 $$;

-- Not a violation: a SQL-standard body is bound at creation (ADR 0007).
create function app.advisor_bound_body() returns integer
language sql immutable
begin atomic
    select 1;
end;

create function public.advisor_not_ours() returns integer
language sql immutable security definer
as $$ select 1 $$;

select bag_eq(
    'select * from security_definer_violations',
    $$values
        ('api.advisor_definer(uuid)', 'not in the allowlist'),
        ('app_private.advisor_definer_unpinned()', 'not in the allowlist'),
        ('app_private.advisor_definer_unpinned()', 'search_path not pinned')$$,
    'The SECURITY DEFINER rule lists exactly the definer functions of ours that are not '
    || 'allowlisted or do not pin search_path.'
);

select bag_eq(
    'select * from search_path_violations',
    $$values
        ('app.advisor_public_path()', 'search_path not empty'),
        ('app.advisor_unpinned()', 'search_path not set'),
        ('app_private.advisor_definer_unpinned()', 'search_path not set'),
        ('queue.advisor_unpinned_proc()', 'search_path not set')$$,
    'The search_path rule lists exactly the functions and procedures of ours that do not '
    || 'pin an empty search_path.'
);

alter function meta.applied_checksums() security invoker;

select bag_eq(
    'select * from security_definer_allowlist_stale',
    $$values ('meta.applied_checksums()')$$,
    'An allowlisted function that is no longer SECURITY DEFINER is reported as a dead entry.'
);

select * from finish();
rollback;
