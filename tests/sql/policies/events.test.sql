-- RLS persona matrix of queue.events (the SSE replay log; its rows have a bigint id, so the
-- matrix names each by its payload's "fixture" key): staff replay the events of the branches in
-- their scope, a guest only the orders and queue events routed to their own table session,
-- never a kitchen event (not even one routed to their session) nor a staff-only one; nobody
-- writes, rewrites or erases an event directly (no grant): app_private.emit_event appends them.
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/orders.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the events',
    $$select payload ->> 'fixture' from queue.events$$,
    '{ev_s1_order,ev_s1_kitchen,ev_s1_kitchen_session,ev_s1_queue,ev_a1_staff,ev_s2_order,'
    || 'ev_a2_order,ev_a2_kitchen}',
    '{ev_s1_order,ev_s1_kitchen,ev_s1_kitchen_session,ev_s1_queue,ev_a1_staff,ev_s2_order,'
    || 'ev_a2_order,ev_a2_kitchen}',
    '{ev_a2_order,ev_a2_kitchen}',
    '{ev_s1_order,ev_s1_kitchen,ev_s1_kitchen_session,ev_s1_queue,ev_a1_staff,ev_s2_order}',
    '{ev_s1_order,ev_s1_kitchen,ev_s1_kitchen_session,ev_s1_queue,ev_a1_staff,ev_s2_order,'
    || 'ev_a2_order,ev_a2_kitchen}',
    '{ev_s1_order,ev_s1_kitchen,ev_s1_kitchen_session,ev_s1_queue,ev_a1_staff,ev_s2_order}',
    '{ev_s1_order,ev_s1_queue}', '{ev_b_order,ev_b_kitchen}', '42501', '42501', null
),
(
    'replays the events of the S1 order',
    $$select payload ->> 'fixture' from queue.events where order_id = @o_s1$$,
    '{ev_s1_order,ev_s1_kitchen,ev_s1_kitchen_session,ev_s1_queue,ev_a1_staff}',
    '{ev_s1_order,ev_s1_kitchen,ev_s1_kitchen_session,ev_s1_queue,ev_a1_staff}',
    '{}',
    '{ev_s1_order,ev_s1_kitchen,ev_s1_kitchen_session,ev_s1_queue,ev_a1_staff}',
    '{ev_s1_order,ev_s1_kitchen,ev_s1_kitchen_session,ev_s1_queue,ev_a1_staff}',
    '{ev_s1_order,ev_s1_kitchen,ev_s1_kitchen_session,ev_s1_queue,ev_a1_staff}',
    '{ev_s1_order,ev_s1_queue}', '{}', '42501', '42501', null
),
(
    'replays the kitchen channel of branch A1',
    $$select payload ->> 'fixture' from queue.events
    where branch_id = @br_a1 and channel = 'kitchen'$$,
    '{ev_s1_kitchen,ev_s1_kitchen_session}', '{ev_s1_kitchen,ev_s1_kitchen_session}', '{}',
    '{ev_s1_kitchen,ev_s1_kitchen_session}', '{ev_s1_kitchen,ev_s1_kitchen_session}',
    '{ev_s1_kitchen,ev_s1_kitchen_session}',
    '{}', '{}', '42501', '42501', null
),
(
    'replays the events of restaurant B',
    $$select payload ->> 'fixture' from queue.events where restaurant_id = @r_b$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '{}', '{ev_b_order,ev_b_kitchen}', '42501', '42501', null
),
(
    'forges an order event for session S1',
    $$insert into queue.events (
        restaurant_id, branch_id, id, channel, type, session_id, order_id, payload
    ) values (
        @r_a, @br_a1, 1000, 'orders', 'order.status', @s1, @o_s1,
        '{"fixture": "ev_forged", "status": "ready"}'
    ) returning payload ->> 'fixture'$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{ev_forged}'
),
(
    'reroutes the S2 order event to session S1',
    $$update queue.events set session_id = @s1
    where payload ->> 'fixture' = 'ev_s2_order' returning payload ->> 'fixture'$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{ev_s2_order}'
),
(
    'erases the events of restaurant B',
    $$delete from queue.events where restaurant_id = @r_b returning payload ->> 'fixture'$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{ev_b_order,ev_b_kitchen}'
);

select plan(pg_temp.matrix_plan() + 6);

select policies_are(
    'queue', 'events',
    array['select_branch_events', 'select_session_events'],
    'queue.events has exactly its two read policies: staff by branch, a guest by table session.'
);

select table_privs_are(
    'queue', 'events', 'staff', array['SELECT'],
    'staff may only SELECT queue.events: events are appended by app_private.emit_event.'
);

select table_privs_are(
    'queue', 'events', 'customer', array['SELECT'],
    'customer may only SELECT queue.events: events are appended by app_private.emit_event.'
);

select table_privs_are(
    'queue', 'events', 'anon', array[]::text[],
    'anon has no privilege on queue.events.'
);

select table_privs_are(
    'queue', 'events', 'platform', array[]::text[],
    'platform has no privilege on queue.events.'
);

-- The partitions are reached only through the parent, whose policies apply: no role but the
-- owner may name one directly (they have no RLS of their own, like the partitions of audit.log).
select is_empty(
    $$select c.oid::regclass, r.role_name
    from pg_catalog.pg_inherits as i
    inner join pg_catalog.pg_class as c on i.inhrelid = c.oid
    cross join (
        values ('anon'), ('customer'), ('staff'), ('platform'), ('authenticator'), ('worker')
    ) as r (role_name)
    where
        i.inhparent = 'queue.events'::regclass
        and pg_catalog.has_table_privilege(
            r.role_name, c.oid, 'select, insert, update, delete, truncate'
        )$$,
    'No request role, nor authenticator or worker, holds a privilege on a partition of '
    || 'queue.events.'
);

select * from pg_temp.run_matrix('queue.events');

select * from finish();
rollback;
