-- The order state machine, cell by cell: every (from, to) pair of the 8 states, tried by a
-- waiter and by a manager through api.transition_order, and every from-state tried by the
-- guest and by a waiter through api.cancel_order. A pair of the documented machine (API.md:
-- placed -> accepted -> preparing -> ready -> served -> completed; cancelled from placed or
-- accepted, by the guest only while placed; voided by a manager before completed) succeeds for
-- its actor and is recorded in app.order_status_changes (from, to, actor); a pair only another
-- actor may make is forbidden (BR403); anything else, including the pairs only the kitchen
-- flow makes (system), is invalid_transition (BR409). Voids need a reason.
begin;
\ir _fixtures/orders.ddl

-- The machine as documented; the table app_private.order_transitions must say the same.
create temporary table spec (from_status text, to_status text, actor text);
insert into spec values
('placed', 'accepted', 'staff'),
('placed', 'accepted', 'system'),
('accepted', 'preparing', 'system'),
('accepted', 'ready', 'system'),
('preparing', 'ready', 'system'),
('ready', 'preparing', 'system'),
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

create temporary table states (status text primary key, position integer not null);
insert into states values
('placed', 1), ('accepted', 2), ('preparing', 3), ('ready', 4), ('served', 5), ('completed', 6),
('cancelled', 7), ('voided', 8);

-- Who tries, through which function: the persona, its actor kind and the role it records.
create temporary table tries (
    persona text, kind text, role text, via text, position integer generated always as identity
);
insert into tries (persona, kind, role, via) values
('waiter_a', 'staff', 'waiter', 'transition'),
('manager_a', 'manager', 'manager', 'transition'),
('customer_s1', 'customer', 'customer', 'cancel'),
('waiter_a', 'staff', 'waiter', 'cancel');

select plan(
    1 + 8 + 1
    + (
        select count(*)::integer from tries
        where via = 'transition'
    ) * 64
    + (
        select count(*)::integer from tries
        where via = 'cancel'
    ) * 8
    + 1 + 6 + 5
);

select set_eq(
    $$select x.from_status, x.to_status, x.actor from app_private.order_transitions as x$$,
    $$select s.from_status, s.to_status, s.actor from spec as s$$,
    'app_private.order_transitions holds exactly the documented machine (18 transitions).'
);

-- One order in each state, built by the real functions, all in S1 (one line of fries: one
-- ticket at the default station).
do $$
begin
    perform pg_temp.place(k.key, 'customer_s1', 's1', pg_temp.items(pg_temp.line('it_a_fries')))
    from unnest(array[
        'o_placed', 'o_accepted', 'o_preparing', 'o_ready', 'o_served', 'o_completed', 'o_cancelled',
        'o_voided'
    ]) as k (key);
    perform pg_temp.call_as('waiter_a', format('api.transition_order(%L, %L)', pg_temp.id(k.key), 'accepted'))
    from unnest(array['o_accepted', 'o_preparing', 'o_ready', 'o_served', 'o_completed']) as k (key);
    perform pg_temp.call_as('kitchen_a', format('api.start_ticket(%L)', pg_temp.ticket(k.key, 'st_a1')))
    from unnest(array['o_preparing', 'o_ready', 'o_served', 'o_completed']) as k (key);
    perform pg_temp.call_as('kitchen_a', format('api.bump_ticket(%L)', pg_temp.ticket(k.key, 'st_a1')))
    from unnest(array['o_ready', 'o_served', 'o_completed']) as k (key);
    perform pg_temp.call_as('waiter_a', format('api.transition_order(%L, %L)', pg_temp.id(k.key), 'served'))
    from unnest(array['o_served', 'o_completed']) as k (key);
    perform pg_temp.call_as('waiter_a', format('api.transition_order(%L, %L)', pg_temp.id('o_completed'), 'completed'));
    perform pg_temp.call_as('customer_s1', format('api.cancel_order(%L)', pg_temp.id('o_cancelled')));
    perform pg_temp.call_as(
        'manager_a', format('api.transition_order(%L, %L, %L)', pg_temp.id('o_voided'), 'voided', 'Never came')
    );
end;
$$;

select
    is(
        (
            select o.status from app.orders as o
            where o.id = pg_temp.id('o_' || s.status)
        ),
        s.status,
        format('Setup: order o_%s is %s.', s.status, s.status)
    )
from states as s
order by s.position;

select results_eq(
    $$select pg_temp.label(c.order_id::text), c.from_status, c.to_status, c.actor_role,
        pg_temp.label(c.actor_user_id::text)
    from app.order_status_changes as c
    inner join states as s on c.to_status = s.status
    where c.restaurant_id = pg_temp.id('r_a')
    order by pg_temp.label(c.order_id::text), s.position$$,
    $$values
    ('o_accepted', null, 'placed', 'customer', 's1'),
    ('o_accepted', 'placed', 'accepted', 'waiter', 'u_waiter_a'),
    ('o_cancelled', null, 'placed', 'customer', 's1'),
    ('o_cancelled', 'placed', 'cancelled', 'customer', 's1'),
    ('o_completed', null, 'placed', 'customer', 's1'),
    ('o_completed', 'placed', 'accepted', 'waiter', 'u_waiter_a'),
    ('o_completed', 'accepted', 'preparing', 'system', 'u_kitchen_a'),
    ('o_completed', 'preparing', 'ready', 'system', 'u_kitchen_a'),
    ('o_completed', 'ready', 'served', 'waiter', 'u_waiter_a'),
    ('o_completed', 'served', 'completed', 'waiter', 'u_waiter_a'),
    ('o_placed', null, 'placed', 'customer', 's1'),
    ('o_preparing', null, 'placed', 'customer', 's1'),
    ('o_preparing', 'placed', 'accepted', 'waiter', 'u_waiter_a'),
    ('o_preparing', 'accepted', 'preparing', 'system', 'u_kitchen_a'),
    ('o_ready', null, 'placed', 'customer', 's1'),
    ('o_ready', 'placed', 'accepted', 'waiter', 'u_waiter_a'),
    ('o_ready', 'accepted', 'preparing', 'system', 'u_kitchen_a'),
    ('o_ready', 'preparing', 'ready', 'system', 'u_kitchen_a'),
    ('o_served', null, 'placed', 'customer', 's1'),
    ('o_served', 'placed', 'accepted', 'waiter', 'u_waiter_a'),
    ('o_served', 'accepted', 'preparing', 'system', 'u_kitchen_a'),
    ('o_served', 'preparing', 'ready', 'system', 'u_kitchen_a'),
    ('o_served', 'ready', 'served', 'waiter', 'u_waiter_a'),
    ('o_voided', null, 'placed', 'customer', 's1'),
    ('o_voided', 'placed', 'voided', 'manager', 'u_manager_a')$$,
    'Every step of the setup is in the history: from, to, actor (system for the kitchen flow), who.'
);

-- One attempt, rolled back whatever happens: 'ok <status>; <from>-><to> by <actor>' for the
-- history rows it added, or '<SQLSTATE> <code>' when refused.
create function pg_temp.try_move(persona text, order_key text, to_status text, via text)
returns text
language plpgsql
as $$
declare
    v_order uuid := pg_temp.id(order_key);
    v_before uuid [];
    v_result jsonb;
    v_outcome text;
    v_state text;
    v_hint text;
begin
    select coalesce(array_agg(c.id), '{}') into v_before
    from app.order_status_changes as c where c.order_id = v_order;
    begin
        perform pg_temp.act_as(persona);
        if via = 'cancel' then
            v_result := api.cancel_order(v_order);
        else
            v_result := api.transition_order(
                v_order, to_status, case when to_status = 'voided' then 'Spilled on the floor' end
            );
        end if;
        perform pg_temp.act_as(null);
        select format(
            'ok %s; %s', v_result ->> 'status',
            string_agg(format('%s->%s by %s', c.from_status, c.to_status, c.actor_role), ', ')
        )
        into v_outcome
        from app.order_status_changes as c
        where c.order_id = v_order and c.id <> all(v_before);
        raise exception using errcode = 'ZX000';
    exception
        when sqlstate 'ZX000' then
            null;
        when others then
            get stacked diagnostics v_state = returned_sqlstate, v_hint = pg_exception_hint;
            v_outcome := v_state || ' ' || coalesce(v_hint, '');
    end;
    return v_outcome;
end;
$$;

-- What the documented machine says for one cell.
create function pg_temp.expected(from_status text, to_status text, kind text, role text)
returns text
language sql
stable
as $$
    select case
        when exists (
            select 1 from spec as s
            where s.from_status = expected.from_status and s.to_status = expected.to_status
                and (s.actor = kind or (kind = 'manager' and s.actor = 'staff'))
        ) then format('ok %s; %s->%s by %s', to_status, from_status, to_status, role)
        when exists (
            select 1 from spec as s
            where s.from_status = expected.from_status and s.to_status = expected.to_status
                and s.actor <> 'system'
        ) then 'BR403 forbidden'
        else 'BR409 invalid_transition'
    end
$$;

create temporary table state_before as select pg_temp.order_state() as digest;

select
    is(
        pg_temp.try_move(t.persona, 'o_' || f.status, x.status, t.via),
        pg_temp.expected(f.status, x.status, t.kind, t.role),
        format(
            '%s %s from %s to %s: %s.',
            (
                select p.who from pg_temp.personas as p
                where p.key = t.persona
            ),
            case t.via when 'cancel' then 'cancelling (api.cancel_order)' else 'moving an order' end,
            f.status, x.status,
            case split_part(pg_temp.expected(f.status, x.status, t.kind, t.role), ' ', 1)
                when 'ok' then 'allowed and recorded with the actor'
                when 'BR403' then 'forbidden (BR403), another actor''s move'
                else 'invalid_transition (BR409)'
            end
        )
    )
from tries as t
cross join states as f
inner join states as x on t.via = 'transition' or x.status = 'cancelled'
order by t.position, f.position, x.position;

select is(
    pg_temp.order_state(), (select s.digest from state_before as s),
    'Every attempt was undone: the orders are as built (the matrix cells are independent).'
);

-- Voids: a reason is required; owners may void like managers; others are forbidden.
select pg_temp.act_as('manager_a');
select throws_ok(
    format('select api.transition_order(%L, %L)', pg_temp.id('o_ready'), 'voided'),
    'BR422', 'A void needs a reason of at most 500 characters.',
    'A void without a reason is validation_failed (BR422).'
);
select throws_ok(
    format('select api.transition_order(%L, %L, %L)', pg_temp.id('o_ready'), 'voided', '   '),
    'BR422', 'A void needs a reason of at most 500 characters.',
    'A void with a blank reason is validation_failed (BR422).'
);
select throws_ok(
    format('select api.transition_order(%L, %L, %L)', pg_temp.id('o_ready'), 'voided', repeat('x', 501)),
    'BR422', 'A void needs a reason of at most 500 characters.',
    'A void with a reason of 501 characters is validation_failed (BR422).'
);
select pg_temp.act_as('waiter_a');
select throws_ok(
    format('select api.transition_order(%L, %L, %L)', pg_temp.id('o_ready'), 'voided', 'Cold'),
    'BR403', 'You may not move an order from ready to voided.',
    'A waiter voiding, even with a reason, is forbidden (BR403).'
);
select pg_temp.act_as('owner_a');
select is(
    api.transition_order(pg_temp.id('o_served'), 'voided', 'Paid elsewhere') ->> 'void_reason',
    'Paid elsewhere',
    'The owner voids a served order with a reason, which the order keeps.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select c.from_status, c.to_status, c.actor_role, pg_temp.label(c.actor_user_id::text), c.reason
    from app.order_status_changes as c
    where c.order_id = pg_temp.id('o_served') and c.to_status = 'voided'$$,
    $$values ('served', 'voided', 'owner', 'u_owner_a', 'Paid elsewhere')$$,
    'The void is recorded with the owner as actor and the reason.'
);

-- Reach and shape of the request.
select pg_temp.act_as('customer_s1');
select throws_ok(
    format('select api.transition_order(%L, %L)', pg_temp.id('o_placed'), 'accepted'),
    '42501', null,
    'The guest may not call api.transition_order at all, even for their own order (42501).'
);
select pg_temp.act_as('waiter_a');
select throws_ok(
    format('select api.transition_order(%L, %L)', pg_temp.id('o_placed'), 'eaten'),
    'BR422', 'to names no order state.',
    'A state that does not exist is validation_failed (BR422).'
);
select pg_temp.act_as('manager_a2');
select throws_ok(
    format('select api.transition_order(%L, %L)', pg_temp.id('o_placed'), 'accepted'),
    'BR404', 'Order not found.',
    'A manager scoped to A2 gets not_found (BR404) for an order of A1.'
);
select pg_temp.act_as('owner_b');
select throws_ok(
    format('select api.cancel_order(%L)', pg_temp.id('o_placed')),
    'BR404', 'Order not found.',
    'The owner of B gets not_found (BR404) for A''s order.'
);
select pg_temp.act_as('customer_s2');
select throws_ok(
    format('select api.cancel_order(%L)', pg_temp.id('o_placed')),
    'BR404', 'Order not found.',
    'The guest of S2 cannot cancel S1''s order: not_found (BR404).'
);

select * from finish();
rollback;
