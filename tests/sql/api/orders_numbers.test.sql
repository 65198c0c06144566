-- Order numbers are short and gap-free per branch and business day (the branch's local date):
-- 1, 2, 3 at one branch while another branch starts at 1; a placement that fails after taking
-- its number, or that is rolled back (a savepoint), gives the number back.
begin;
\ir _fixtures/orders.ddl
select plan(14);

-- Places an order as a persona inside a subtransaction that is then rolled back, like a
-- request whose transaction fails after the call; returns the number it had been given.
create function pg_temp.place_rolled_back(persona text, session text, body jsonb)
returns integer
language plpgsql
as $$
declare
    v_number integer;
begin
    begin
        perform pg_temp.act_as(persona);
        v_number := (api.place_order(pg_temp.id(session), body) ->> 'number')::integer;
        raise exception using errcode = 'ZX000';
    exception
        when sqlstate 'ZX000' then
            return v_number;
    end;
end;
$$;

-- Yesterday's counter at A1 (setup, as the owner of the tables) does not carry over to today.
insert into app_private.order_numbers (restaurant_id, branch_id, business_date, last_number)
values (
    pg_temp.id('r_a'), pg_temp.id('br_a1'), (now() at time zone 'Europe/Paris')::date - 1, 57
);
-- A2 keeps its business day in Kiritimati (UTC+14).
select pg_temp.act_as('owner_a');
select is(
    api.update_branch(pg_temp.id('br_a2'), '{"timezone": "Pacific/Kiritimati"}') ->> 'timezone',
    'Pacific/Kiritimati',
    'The owner puts branch A2 in the Kiritimati time zone.'
);

select pg_temp.act_as('customer_s1');
select is(
    pg_temp.keep('o1', api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola'))))
    -> 'number',
    '1'::jsonb,
    'The first order of the day at A1 is number 1 (yesterday ended at 57).'
);
select pg_temp.act_as('waiter_a');
select is(
    pg_temp.keep('o2', api.place_order(pg_temp.id('s2'), pg_temp.items(pg_temp.line('it_a_cola'))))
    -> 'number',
    '2'::jsonb,
    'The next order at A1, in another session and by a waiter, is number 2.'
);
select pg_temp.act_as('customer_a2');
select is(
    pg_temp.keep('o_a2', api.place_order(pg_temp.id('s_a2'), pg_temp.items(pg_temp.line('it_a_cola'))))
    -> 'number',
    '1'::jsonb,
    'Branch A2 counts on its own: its first order is number 1.'
);
select pg_temp.act_as('customer_s1');
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola'), pg_temp.line('nope')))$$,
    'BR422', 'items[2].item_id names an unknown item.',
    'An order whose second line fails (after its number was taken) is refused: validation_failed.'
);
select is(
    pg_temp.keep('o3', api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_fries'))))
    -> 'number',
    '3'::jsonb,
    'The next order at A1 is number 3: the refused one left no gap.'
);
select is(
    pg_temp.place_rolled_back('waiter_a', 's2', pg_temp.items(pg_temp.line('it_a_cola'))),
    4,
    'A placement that took number 4 is rolled back with its savepoint.'
);
select pg_temp.act_as('customer_s2');
select is(
    pg_temp.keep('o4', api.place_order(pg_temp.id('s2'), pg_temp.items(pg_temp.line('it_a_cola'))))
    -> 'number',
    '4'::jsonb,
    'Number 4 is given again: the rolled-back placement left no gap.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select pg_temp.label(o.id::text), o.number, o.business_date
    from app.orders as o
    where o.restaurant_id = pg_temp.id('r_a')
    order by o.branch_id = pg_temp.id('br_a1') desc, o.number$$,
    $$values
    ('o1', 1, (now() at time zone 'Europe/Paris')::date),
    ('o2', 2, (now() at time zone 'Europe/Paris')::date),
    ('o3', 3, (now() at time zone 'Europe/Paris')::date),
    ('o4', 4, (now() at time zone 'Europe/Paris')::date),
    ('o_a2', 1, (now() at time zone 'Pacific/Kiritimati')::date)$$,
    'A1 has orders 1 to 4 of its Paris business day; A2 has order 1 of its Kiritimati day.'
);

-- A branch's business day follows its own time zone: Pago Pago (UTC-11) is 25 hours behind
-- Kiritimati (UTC+14), so its date is always an earlier one and the next order at A2 opens
-- another business day.
select pg_temp.act_as('owner_a');
select is(
    api.update_branch(pg_temp.id('br_a2'), '{"timezone": "Pacific/Pago_Pago"}') ->> 'timezone',
    'Pacific/Pago_Pago',
    'The owner moves branch A2 to the Pago Pago time zone.'
);
select pg_temp.act_as('customer_a2');
select is(
    pg_temp.keep('o_a2_pago', api.place_order(pg_temp.id('s_a2'), pg_temp.items(pg_temp.line('it_a_fries'))))
    -> 'number',
    '1'::jsonb,
    'The next order at A2 falls on another business day there: number 1 again.'
);
select pg_temp.act_as(null);
select is(
    (
        select o.business_date from app.orders as o
        where o.id = pg_temp.id('o_a2_pago')
    ),
    (now() at time zone 'Pacific/Pago_Pago')::date,
    'Its business day is the Pago Pago date.'
);
select results_eq(
    $$select pg_temp.label(n.branch_id::text), n.business_date, n.last_number
    from app_private.order_numbers as n
    where n.restaurant_id = pg_temp.id('r_a')
    order by 1, 2$$,
    $$values
    ('br_a1', (now() at time zone 'Europe/Paris')::date - 1, 57),
    ('br_a1', (now() at time zone 'Europe/Paris')::date, 4),
    ('br_a2', (now() at time zone 'Pacific/Pago_Pago')::date, 1),
    ('br_a2', (now() at time zone 'Pacific/Kiritimati')::date, 1)$$,
    'One counter per branch and business day, each at its last number given.'
);
select is(
    (
        select count(*) from app.orders as o
        where o.restaurant_id = pg_temp.id('r_b')
    ),
    0::bigint,
    'Restaurant B has no order: counters never cross tenants.'
);

select * from finish();
rollback;
