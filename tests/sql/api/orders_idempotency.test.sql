-- Idempotency-Key of api.place_order: the same key and body within 24 h answer the first order
-- and write nothing new; the same key with another body is idempotency_key_reused (409); keys
-- are per caller (a table session, a staff member), so two callers never collide; a key older
-- than 24 h is replaced by the next order that uses it.
begin;
\ir _fixtures/orders.ddl
select plan(21);

-- Everything written for one order: its row, lines, history and events.
create function pg_temp.footprint(order_key text)
returns text
language sql
stable
as $$
    select format(
        'orders %s, lines %s, changes %s, events %s',
        (select count(*) from app.orders as o where o.id = pg_temp.id(order_key)),
        (select count(*) from app.order_items as i where i.order_id = pg_temp.id(order_key)),
        (select count(*) from app.order_status_changes as c where c.order_id = pg_temp.id(order_key)),
        (select count(*) from queue.events as e where e.order_id = pg_temp.id(order_key))
    )
$$;

-- The orders of a session (as the superuser).
create function pg_temp.session_orders(session text)
returns bigint
language sql
stable
as $$
    select count(*) from app.orders as o where o.session_id = pg_temp.id(session)
$$;

create temporary table bodies (key text primary key, body jsonb not null);
insert into bodies values
('two', pg_temp.items(pg_temp.line('it_a1', 1, '{op_a_large}'), pg_temp.line('it_a_cola', 2))),
('other', pg_temp.items(pg_temp.line('it_a1', 1, '{op_a_large}'), pg_temp.line('it_a_cola', 3)));
grant select on bodies to customer, staff;

select pg_temp.act_as('customer_s1');
select is(
    pg_temp.keep('o_first', api.place_order(
        pg_temp.id(
            's1'), (
            select b.body from bodies as b
            where b.key = 'two'
        ), 'key-1'
    )) ->> 'number',
    '1',
    'The guest of S1 places order 1 with Idempotency-Key key-1.'
);
select pg_temp.act_as(null);
create temporary table first_footprint as select pg_temp.footprint('o_first') as footprint;
select is(
    (select f.footprint from first_footprint as f),
    'orders 1, lines 2, changes 1, events 1',
    'The first order wrote its row, two lines, one history row and one event.'
);
create temporary table state_before as select pg_temp.order_state() as digest;

select pg_temp.act_as('customer_s1');
select is(
    api.place_order(pg_temp.id(
        's1'), (
        select b.body from bodies as b
        where b.key = 'two'
    ), 'key-1'),
    api.get_order(pg_temp.id('o_first')),
    'The same key and body again answer the first order, as it is.'
);
select is(
    api.place_order(
        pg_temp.id('s1'),
        -- The same JSON written in another key order is the same body.
        jsonb_build_object('items', jsonb_build_array(
            jsonb_build_object('option_ids', jsonb_build_array(pg_temp.id('op_a_large')), 'quantity', 1, 'item_id', pg_temp.id('it_a1')),
            jsonb_build_object('option_ids', '[]'::jsonb, 'quantity', 2, 'item_id', pg_temp.id('it_a_cola'))
        )),
        'key-1'
    ) ->> 'id',
    pg_temp.id('o_first')::text,
    'The same body with its fields in another order is the same request.'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), (select b.body from bodies as b where b.key = 'other'), 'key-1')$$,
    'BR409', 'This Idempotency-Key was used for a different order.',
    'The same key with another body is idempotency_key_reused (BR409).'
);
select pg_temp.act_as(null);
select is(
    pg_temp.footprint('o_first'), (select f.footprint from first_footprint as f),
    'The repeats added no line, history row or event to the first order.'
);
select is(
    pg_temp.order_state(), (select s.digest from state_before as s),
    'The repeats wrote nothing at all: no order, number, event, key or session change.'
);
select is(pg_temp.session_orders('s1'), 1::bigint, 'S1 still has one order.');

-- Keys are per caller.
select pg_temp.act_as('customer_s2');
select isnt(
    pg_temp.keep('o_s2', api.place_order(
        pg_temp.id(
            's2'), (
            select b.body from bodies as b
            where b.key = 'two'
        ), 'key-1'
    )) ->> 'id',
    pg_temp.id('o_first')::text,
    'The guest of S2 using key-1 too gets a new order of S2: keys of different sessions do not collide.'
);
select pg_temp.act_as('waiter_a');
select isnt(
    pg_temp.keep('o_waiter', api.place_order(
        pg_temp.id(
            's1'), (
            select b.body from bodies as b
            where b.key = 'two'
        ), 'key-1'
    )) ->> 'id',
    pg_temp.id('o_first')::text,
    'A waiter using key-1 for S1 gets a new order: a staff member''s keys are their own.'
);
select is(
    api.place_order(pg_temp.id(
        's1'), (
        select b.body from bodies as b
        where b.key = 'two'
    ), 'key-1') ->> 'id',
    pg_temp.id('o_waiter')::text,
    'The waiter''s own repeat answers the waiter''s order.'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s2'), (select b.body from bodies as b where b.key = 'two'), 'key-1')$$,
    'BR409', 'This Idempotency-Key was used for a different order.',
    'The waiter reusing key-1 for the same items in another session is idempotency_key_reused (BR409).'
);
select pg_temp.act_as(null);
select results_eq(
    $$select pg_temp.label(o.id::text), pg_temp.label(o.session_id::text), o.number
    from app.orders as o
    where o.restaurant_id = pg_temp.id('r_a')
    order by o.number$$,
    $$values ('o_first', 's1', 1), ('o_s2', 's2', 2), ('o_waiter', 's1', 3)$$,
    'Three orders in all, numbered without gaps: the repeats and the refusals took no number.'
);

-- Without a key, the same body twice is two orders.
select pg_temp.act_as('customer_s1');
select isnt(
    api.place_order(pg_temp.id(
        's1'), (
        select b.body from bodies as b
        where b.key = 'two'
    )) ->> 'id',
    api.place_order(pg_temp.id(
        's1'), (
        select b.body from bodies as b
        where b.key = 'two'
    )) ->> 'id',
    'Without a key the same body placed twice makes two orders.'
);

-- 24 hours. Time does not pass inside a test transaction: the setup ages the key rows by hand
-- (as the owner of the tables).
select pg_temp.act_as(null);
update app_private.idempotency_keys set created_at = now() - interval '23 hours'
where principal = pg_temp.id('s1') and key = 'key-1';
select pg_temp.act_as('customer_s1');
select is(
    api.place_order(pg_temp.id(
        's1'), (
        select b.body from bodies as b
        where b.key = 'two'
    ), 'key-1') ->> 'id',
    pg_temp.id('o_first')::text,
    'A key used 23 hours ago still answers the first order.'
);
select pg_temp.act_as(null);
update app_private.idempotency_keys set created_at = now() - interval '25 hours'
where principal = pg_temp.id('s1') and key = 'key-1';
select pg_temp.act_as('customer_s1');
select isnt(
    pg_temp.keep('o_again', api.place_order(
        pg_temp.id(
            's1'), (
            select b.body from bodies as b
            where b.key = 'two'
        ), 'key-1'
    )) ->> 'id',
    pg_temp.id('o_first')::text,
    'A key used 25 hours ago has expired: the same body makes a new order.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select pg_temp.label(k.order_id::text), k.created_at = now()
    from app_private.idempotency_keys as k
    where k.restaurant_id = pg_temp.id('r_a') and k.principal = pg_temp.id('s1') and k.key = 'key-1'$$,
    $$values ('o_again', true)$$,
    'The expired key row was replaced by one for the new order, dated now.'
);
select pg_temp.act_as('customer_s1');
select is(
    api.place_order(pg_temp.id(
        's1'), (
        select b.body from bodies as b
        where b.key = 'two'
    ), 'key-1') ->> 'id',
    pg_temp.id('o_again')::text,
    'From then on the key answers the new order.'
);
select pg_temp.act_as(null);
update app_private.idempotency_keys set created_at = now() - interval '25 hours'
where principal = pg_temp.id('s1') and key = 'key-1';
select pg_temp.act_as('customer_s1');
select is(
    (
        select x -> 'quantity'
        from
            jsonb_array_elements(pg_temp.keep('o_other', api.place_order(
                pg_temp.id(
                    's1'), (
                    select b.body from bodies as b
                    where b.key = 'other'
                ), 'key-1'
            )) -> 'items') as x
        where x ->> 'name' = 'Cola'
    ),
    '3'::jsonb,
    'An expired key may carry another body: no idempotency_key_reused after 24 hours.'
);
select pg_temp.act_as(null);
select is(
    (
        select count(*)
        from app_private.idempotency_keys as k
        where k.restaurant_id = pg_temp.id('r_a') and k.key = 'key-1'
    ),
    3::bigint,
    'One key-1 row per caller: S1, S2 and the waiter.'
);
select is(
    pg_temp.footprint('o_first'), (select f.footprint from first_footprint as f),
    'The first order is untouched by everything since.'
);

select * from finish();
rollback;
