-- api.order_queue_position: a guest's place in the kitchen's queue (the branch's accepted and
-- preparing orders ahead of theirs, plus one) and the estimated wait: the median time from
-- accepted to ready of the branch's orders readied in the past day (else the default
-- station's target), less the time the order has already waited. Orders the kitchen is done
-- with are at position 0.
begin;
\ir _fixtures/orders.ddl
select plan(23);

-- The position and wait of an order as one line, asked as a persona.
create function pg_temp.queue(persona text, order_key text)
returns text
language plpgsql
as $$
declare
    v_answer jsonb;
begin
    perform pg_temp.act_as(persona);
    v_answer := api.order_queue_position(pg_temp.id(order_key));
    perform pg_temp.act_as(null);
    return format(
        '%s: position %s, wait %s', v_answer ->> 'status', v_answer ->> 'position',
        v_answer ->> 'estimated_wait_seconds'
    );
end;
$$;

-- Setup (as the owner of the tables): the default station of A1 targets 7 minutes.
update app.stations set target_seconds = 420
where id = pg_temp.id('st_a1');

-- Four orders at A1, the first three accepted. Order ids are time-ordered to the millisecond:
-- a real pause between placements keeps them in placement order.
do $$
declare
    v_key text;
begin
    foreach v_key in array array['o1', 'o2', 'o3', 'o4'] loop
        perform pg_sleep(0.002);
        perform pg_temp.place(
            v_key, case when v_key in ('o1', 'o3') then 'customer_s1' else 'customer_s2' end,
            case when v_key in ('o1', 'o3') then 's1' else 's2' end,
            pg_temp.items(pg_temp.line('it_a_fries'))
        );
    end loop;
    perform pg_temp.call_as('waiter_a', format('api.transition_order(%L, %L)', pg_temp.id(k), 'accepted'))
    from unnest(array['o1', 'o2', 'o3']) as k;
end;
$$;

select is(
    pg_temp.queue('customer_s1', 'o1'), 'accepted: position 1, wait 420',
    'The first accepted order is first in the queue; with no history its wait is the station''s target.'
);
select is(
    pg_temp.queue('customer_s2', 'o2'), 'accepted: position 2, wait 420',
    'The second accepted order has one order ahead.'
);
select is(
    pg_temp.queue('customer_s1', 'o3'), 'accepted: position 3, wait 420',
    'The third has two ahead.'
);
select is(
    pg_temp.queue('customer_s2', 'o4'), 'placed: position 4, wait 420',
    'A placed order counts the three accepted ones ahead.'
);
select is(
    pg_temp.queue('kitchen_a', 'o4'), 'placed: position 4, wait 420',
    'Staff of the branch see the same.'
);

-- Reach.
select pg_temp.act_as('customer_s2');
select throws_ok(
    format('select api.order_queue_position(%L)', pg_temp.id('o1')),
    'BR404', 'Order not found.',
    'The guest of S2 cannot see the queue position of S1''s order: not_found (BR404).'
);
select pg_temp.act_as('kitchen_a2');
select throws_ok(
    format('select api.order_queue_position(%L)', pg_temp.id('o1')),
    'BR404', 'Order not found.',
    'The kitchen of A2 cannot see an order of A1: not_found (BR404).'
);
select pg_temp.act_as('owner_b');
select throws_ok(
    format('select api.order_queue_position(%L)', pg_temp.id('o1')),
    'BR404', 'Order not found.',
    'The owner of B gets not_found (BR404).'
);
select pg_temp.act_as('anon');
select throws_ok(
    format('select api.order_queue_position(%L)', pg_temp.id('o1')),
    '42501', null,
    'An anonymous caller may not call it (42501).'
);
select pg_temp.act_as(null);

-- The kitchen moves: preparing orders still count, ready ones leave the queue.
do $$
begin
    perform pg_temp.call_as('kitchen_a', format('api.start_ticket(%L)', pg_temp.ticket('o1', 'st_a1')));
end;
$$;
select is(
    pg_temp.queue('customer_s2', 'o2'), 'accepted: position 2, wait 420',
    'A preparing order ahead still counts.'
);
do $$
begin
    perform pg_temp.call_as('kitchen_a', format('api.bump_ticket(%L)', pg_temp.ticket('o1', 'st_a1')));
end;
$$;
select is(
    pg_temp.queue('customer_s1', 'o1'), 'ready: position 0, wait 0',
    'A ready order is out of the queue: position 0, no wait.'
);
select is(
    pg_temp.queue('customer_s2', 'o2'), 'accepted: position 1, wait 0',
    'The next order moves up to 1; the one order readied today (in no time at all) makes the median 0.'
);
do $$
begin
    perform pg_temp.call_as('customer_s2', format('api.cancel_order(%L)', pg_temp.id('o4')));
end;
$$;
select is(
    pg_temp.queue('customer_s2', 'o4'), 'cancelled: position 0, wait 0',
    'A cancelled order is out of the queue.'
);

-- Prep times of the day. Time does not pass inside a test transaction: the setup gives the
-- readied orders their accepted and ready times by hand (as the owner of the tables).
do $$
declare
    v_key text;
    v_order uuid;
begin
    foreach v_key in array array['h1', 'h2', 'h3', 'h_old', 'h_a2'] loop
        -- (The id goes through a variable: a key kept in this block is not yet in the snapshot
        -- the planner uses for the block's queries.)
        v_order := (pg_temp.place(
            v_key, 'waiter_a', case when v_key = 'h_a2' then 's_a2' else 's2' end,
            pg_temp.items(pg_temp.line('it_a_cola'))
        ) ->> 'id')::uuid;
        perform pg_temp.call_as('waiter_a', format('api.transition_order(%L, %L)', v_order, 'accepted'));
        perform pg_temp.call_as(
            case when v_key = 'h_a2' then 'manager_a' else 'kitchen_a' end,
            format('api.bump_ticket(%L)', t.id)
        )
        from app.tickets as t where t.order_id = v_order;
        perform pg_temp.call_as('waiter_a', format('api.transition_order(%L, %L)', v_order, 'served'));
        if v_key = 'h3' then
            perform pg_temp.call_as('waiter_a', format('api.transition_order(%L, %L)', v_order, 'completed'));
        end if;
    end loop;
end;
$$;
update app.orders as o
set accepted_at = now() - h.ago, ready_at = now() - h.ago + h.prep
from (
    values
    ('o1', interval '2 hours', interval '200 seconds'),
    ('h1', interval '3 hours', interval '300 seconds'),
    ('h2', interval '4 hours', interval '500 seconds'),
    ('h3', interval '5 hours', interval '900 seconds'),
    ('h_old', interval '30 hours', interval '5000 seconds'),
    ('h_a2', interval '1 hour', interval '10000 seconds')
) as h (key, ago, prep)
where o.id = pg_temp.id(h.key);
select is(
    (
        select array_agg(o.status order by o.number)
        from app.orders as o
        where o.id in (pg_temp.id('h1'), pg_temp.id('h2'), pg_temp.id('h3'), pg_temp.id('h_old'))
    ),
    array['served', 'served', 'completed', 'served'],
    'Setup: four orders of A1 were readied and served (or completed), one more at A2.'
);
select is(
    pg_temp.queue('customer_s2', 'o2'), 'accepted: position 1, wait 400',
    'The wait is the median prep time of A1''s orders readied in the past day (200, 300, 500, 900: 400), not the older one''s nor A2''s.'
);
select pg_temp.act_as(null);
update app.orders set accepted_at = now() - interval '150 seconds'
where id = pg_temp.id('o2');
select is(
    pg_temp.queue('customer_s2', 'o2'), 'accepted: position 1, wait 250',
    'Less the 150 seconds the order has already waited since it was accepted.'
);
update app.orders set accepted_at = now() - interval '1 hour'
where id = pg_temp.id('o2');
select is(
    pg_temp.queue('customer_s2', 'o2'), 'accepted: position 1, wait 0',
    'An order that waited longer than the estimate has no wait left, never a negative one.'
);
select is(
    pg_temp.queue('customer_s1', 'o3'), 'accepted: position 2, wait 400',
    'The order behind it waits the median.'
);
update app.orders set ready_at = now() - interval '25 hours'
where id in (pg_temp.id('o1'), pg_temp.id('h1'), pg_temp.id('h2'), pg_temp.id('h3'));
select is(
    pg_temp.queue('customer_s1', 'o3'), 'accepted: position 2, wait 420',
    'With nothing readied in the past day the station''s target is used again.'
);

-- Another branch has its own queue.
do $$
begin
    perform pg_temp.place('o_a2', 'customer_a2', 's_a2', pg_temp.items(pg_temp.line('it_a_cola')));
end;
$$;
select is(
    pg_temp.queue('customer_a2', 'o_a2'), 'placed: position 1, wait 10000',
    'At A2 nothing is ahead; its wait comes from A2''s own history (10000 s).'
);
do $$
begin
    perform pg_temp.call_as('waiter_a', format('api.transition_order(%L, %L)', pg_temp.id('o2'), 'cancelled'));
end;
$$;
select is(
    pg_temp.queue('customer_s1', 'o3'), 'accepted: position 1, wait 420',
    'When an order ahead is cancelled, the ones behind move up.'
);
select is(
    pg_temp.queue('waiter_a', 'o3'), 'accepted: position 1, wait 420',
    'A waiter sees the same position.'
);
select is(
    pg_temp.queue('customer_a2', 'o_a2'), 'placed: position 1, wait 10000',
    'Orders of A1 never count in A2''s queue.'
);

select * from finish();
rollback;
