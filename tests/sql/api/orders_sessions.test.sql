-- Who may place an order in a table session: its own guest, or front-of-house staff (owner,
-- manager, waiter) of its branch. Another session's guest, another branch's staff and another
-- tenant get not_found; kitchen staff are forbidden; a closed session is session_closed. An
-- order records who placed it and counts as activity of the session (last_activity_at).
begin;
\ir _fixtures/orders.ddl
select plan(24);

-- Setup: time does not pass inside a test transaction, so the sessions' last activity is put
-- two hours back by hand (as the owner of the tables) to see it move.
update app.table_sessions set last_activity_at = now() - interval '2 hours'
where id in (pg_temp.id('s1'), pg_temp.id('s2'), pg_temp.id('s_a2'), pg_temp.id('s_b'));
create temporary table state_before as select pg_temp.order_state() as digest;

select pg_temp.act_as('customer_s2');
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola')))$$,
    'BR404', 'Table session not found.',
    'The guest of S2 ordering in S1 gets not_found (BR404).'
);
select pg_temp.act_as('customer_b');
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola')))$$,
    'BR404', 'Table session not found.',
    'A guest of restaurant B ordering in A''s session gets not_found (BR404).'
);
select pg_temp.act_as('owner_b');
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola')))$$,
    'BR404', 'Table session not found.',
    'The owner of restaurant B gets not_found (BR404) for A''s session.'
);
select pg_temp.act_as('manager_a2');
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola')))$$,
    'BR404', 'Table session not found.',
    'A manager scoped to A2 gets not_found (BR404) for a session of A1.'
);
select pg_temp.act_as('kitchen_a2');
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola')))$$,
    'BR404', 'Table session not found.',
    'The kitchen device of A2 gets not_found (BR404) for a session of A1.'
);
select pg_temp.act_as('kitchen_a');
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola')))$$,
    'BR403', 'Kitchen staff do not take orders.',
    'The kitchen of A1 sees the session but may not order in it: forbidden (BR403).'
);
select pg_temp.act_as('anon');
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola')))$$,
    '42501', null,
    'An anonymous caller may not call it at all (42501).'
);
select pg_temp.act_as('platform_admin');
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola')))$$,
    '42501', null,
    'A platform admin may not call it at all (42501).'
);
select pg_temp.act_as('customer_closed');
select throws_ok(
    $$select api.place_order(pg_temp.id('s_closed'), pg_temp.items(pg_temp.line('it_a_cola')))$$,
    'BR409', 'This table session is closed.',
    'The guest of a closed session gets session_closed (BR409).'
);
select pg_temp.act_as('waiter_a');
select throws_ok(
    $$select api.place_order(pg_temp.id('s_closed'), pg_temp.items(pg_temp.line('it_a_cola')))$$,
    'BR409', 'This table session is closed.',
    'A waiter ordering in a closed session gets session_closed (BR409).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('nope'), pg_temp.items(pg_temp.line('it_a_cola')))$$,
    'BR404', 'Table session not found.',
    'A session that does not exist is not_found (BR404).'
);
select pg_temp.act_as(null);
select is(
    pg_temp.order_state(), (select s.digest from state_before as s),
    'After the refusals nothing was written, and no session''s last activity moved.'
);

-- The positive controls.
select pg_temp.act_as('customer_s1');
select is(
    pg_temp.keep('o_guest', api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola'))))
    ->> 'status',
    'placed',
    'The guest of S1 places an order in S1.'
);
select pg_temp.act_as('waiter_a');
select is(
    pg_temp.keep('o_waiter', api.place_order(pg_temp.id('s2'), pg_temp.items(pg_temp.line('it_a_fries'))))
    ->> 'status',
    'placed',
    'A waiter of A places an order in S2 for its guests.'
);
select pg_temp.act_as('manager_a1');
select is(
    pg_temp.keep('o_manager', api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola'))))
    ->> 'status',
    'placed',
    'A manager scoped to A1 places an order in a session of A1.'
);
select pg_temp.act_as('owner_a');
select is(
    pg_temp.keep('o_owner', api.place_order(pg_temp.id('s_a2'), pg_temp.items(pg_temp.line('it_a2'))))
    ->> 'status',
    'placed',
    'The owner of A places an order at A2.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select pg_temp.label(o.id::text), pg_temp.label(o.session_id::text), pg_temp.label(o.branch_id::text),
        o.placed_by_role, pg_temp.label(o.placed_by::text)
    from app.orders as o
    where o.restaurant_id = pg_temp.id('r_a')
    order by 1$$,
    $$values
    ('o_guest', 's1', 'br_a1', 'customer', null::text),
    ('o_manager', 's1', 'br_a1', 'staff', 'u_manager_a1'),
    ('o_owner', 's_a2', 'br_a2', 'staff', 'u_owner_a'),
    ('o_waiter', 's2', 'br_a1', 'staff', 'u_waiter_a')$$,
    'Each order belongs to its session and branch and records who placed it (a guest: nobody).'
);
select results_eq(
    $$select pg_temp.label(c.order_id::text), c.from_status, c.to_status, c.actor_role
    from app.order_status_changes as c
    where c.restaurant_id = pg_temp.id('r_a')
    order by 1$$,
    $$values
    ('o_guest', null::text, 'placed', 'customer'),
    ('o_manager', null, 'placed', 'manager'),
    ('o_owner', null, 'placed', 'owner'),
    ('o_waiter', null, 'placed', 'waiter')$$,
    'Each placement is the first row of its order''s history, with the actor''s role.'
);
select results_eq(
    $$select pg_temp.label(s.id::text), s.last_activity_at = now()
    from app.table_sessions as s
    where s.id in (pg_temp.id('s1'), pg_temp.id('s2'), pg_temp.id('s_a2'), pg_temp.id('s_b'))
    order by 1$$,
    $$values ('s1', true), ('s2', true), ('s_a2', true), ('s_b', false)$$,
    'Ordering moves the session''s last activity to now; a session without orders keeps its own.'
);

-- Reading orders follows the same reach.
select pg_temp.act_as('customer_s1');
select is(
    api.get_order(pg_temp.id('o_guest')) ->> 'id',
    pg_temp.id('o_guest')::text,
    'The guest of S1 reads the order of S1.'
);
select throws_ok(
    $$select api.get_order(pg_temp.id('o_waiter'))$$,
    'BR404', 'Order not found.',
    'The guest of S1 does not see S2''s order: not_found (BR404).'
);
select pg_temp.act_as('kitchen_a2');
select throws_ok(
    $$select api.get_order(pg_temp.id('o_guest'))$$,
    'BR404', 'Order not found.',
    'The kitchen of A2 does not see an order of A1: not_found (BR404).'
);
select pg_temp.act_as('owner_b');
select throws_ok(
    $$select api.get_order(pg_temp.id('o_guest'))$$,
    'BR404', 'Order not found.',
    'The owner of B does not see A''s order: not_found (BR404).'
);
select pg_temp.act_as('kitchen_a');
select is(
    api.get_order(pg_temp.id('o_waiter')) ->> 'id',
    pg_temp.id('o_waiter')::text,
    'The kitchen of A1 reads the orders of A1.'
);

select * from finish();
rollback;
