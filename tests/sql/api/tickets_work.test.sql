-- The kitchen's moves on a ticket (api.start_ticket, bump_ticket, recall_ticket, rush_ticket)
-- and how the order follows: start -> in_progress and the order preparing at its first started
-- line; bump -> ready and the order ready only once every ticket is; recall -> in_progress and
-- the order back to preparing. Illegal moves are invalid_transition; a waiter may not start,
-- bump or recall (forbidden); another branch's kitchen, another tenant and guests get not_found.
begin;
\ir _fixtures/orders.ddl
select plan(37);

-- An accepted order at A1: a shawarma for the grill, a cola for the bar.
do $$
begin
    perform pg_temp.place(
        'o1', 'customer_s1', 's1',
        pg_temp.items(pg_temp.line('it_a1', 1, '{op_a_small}'), pg_temp.line('it_a_cola'))
    );
    perform pg_temp.call_as('waiter_a', format('api.transition_order(%L, %L)', pg_temp.id('o1'), 'accepted'));
end;
$$;
insert into pg_temp.fixture_ids (key, id) values
('t_grill', pg_temp.ticket('o1', 'st_a1')),
('t_bar', pg_temp.ticket('o1', 'st_a1_bar'));

-- The ticket's and the order's status, as the superuser.
create function pg_temp.statuses()
returns text
language sql
stable
as $$
    select format(
        'grill %s, bar %s, order %s',
        (select t.status from app.tickets as t where t.id = pg_temp.id('t_grill')),
        (select t.status from app.tickets as t where t.id = pg_temp.id('t_bar')),
        (select o.status from app.orders as o where o.id = pg_temp.id('o1'))
    )
$$;
grant execute on function pg_temp.statuses() to staff, customer;

select is(pg_temp.statuses(), 'grill queued, bar queued, order accepted', 'Setup: two queued tickets.');
create temporary table state_before as select pg_temp.order_state() as digest;

-- Who may not.
select pg_temp.act_as('waiter_a');
select throws_ok(
    format('select api.start_ticket(%L)', pg_temp.id('t_grill')),
    'BR403', 'Only the kitchen works tickets.',
    'A waiter cannot start a ticket: forbidden (BR403).'
);
select throws_ok(
    format('select api.bump_ticket(%L)', pg_temp.id('t_grill')),
    'BR403', 'Only the kitchen works tickets.',
    'A waiter cannot bump a ticket: forbidden (BR403).'
);
select throws_ok(
    format('select api.recall_ticket(%L)', pg_temp.id('t_grill')),
    'BR403', 'Only the kitchen works tickets.',
    'A waiter cannot recall a ticket: forbidden (BR403).'
);
select pg_temp.act_as('kitchen_a2');
select throws_ok(
    format('select api.start_ticket(%L)', pg_temp.id('t_grill')),
    'BR404', 'Ticket not found.',
    'The kitchen device of A2 cannot start A1''s ticket: not_found (BR404).'
);
select throws_ok(
    format('select api.bump_ticket(%L)', pg_temp.id('t_grill')),
    'BR404', 'Ticket not found.',
    'The kitchen device of A2 cannot bump A1''s ticket: not_found (BR404).'
);
select pg_temp.act_as('manager_a2');
select throws_ok(
    format('select api.bump_ticket(%L)', pg_temp.id('t_grill')),
    'BR404', 'Ticket not found.',
    'A manager scoped to A2 cannot bump A1''s ticket: not_found (BR404).'
);
select pg_temp.act_as('owner_b');
select throws_ok(
    format('select api.start_ticket(%L)', pg_temp.id('t_grill')),
    'BR404', 'Ticket not found.',
    'The owner of B gets not_found (BR404) for A''s ticket.'
);
select pg_temp.act_as('customer_s1');
select throws_ok(
    format('select api.start_ticket(%L)', pg_temp.id('t_grill')),
    'BR404', 'Ticket not found.',
    'The guest of the order cannot start its ticket: not_found (BR404).'
);
select pg_temp.act_as('kitchen_a');
select throws_ok(
    format('select api.recall_ticket(%L)', pg_temp.id('t_grill')),
    'BR409', 'A ticket that is queued cannot be recalled.',
    'A queued ticket cannot be recalled: invalid_transition (BR409).'
);
select throws_ok(
    format('select api.start_ticket(%L)', pg_temp.id('nope')),
    'BR404', 'Ticket not found.',
    'A ticket that does not exist is not_found (BR404).'
);
select pg_temp.act_as(null);
select is(
    pg_temp.order_state(), (select s.digest from state_before as s),
    'The refused moves changed nothing: tickets, lines, order, history, events.'
);

-- The kitchen works the grill: the order is preparing from its first started line.
select pg_temp.act_as('kitchen_a');
select is(
    api.start_ticket(pg_temp.id('t_grill')) ->> 'status',
    'in_progress',
    'The kitchen starts the grill ticket: in_progress.'
);
select is(pg_temp.statuses(), 'grill in_progress, bar queued, order preparing', 'The order is preparing.');
select throws_ok(
    format('select api.start_ticket(%L)', pg_temp.id('t_grill')),
    'BR409', 'A ticket that is in_progress cannot be started.',
    'A ticket in progress cannot be started again: invalid_transition (BR409).'
);
select is(
    api.bump_ticket(pg_temp.id('t_grill')) ->> 'status',
    'ready',
    'The kitchen bumps the grill ticket: ready.'
);
select is(
    pg_temp.statuses(), 'grill ready, bar queued, order preparing',
    'One ticket of two is ready: the order is still preparing.'
);
select throws_ok(
    format('select api.bump_ticket(%L)', pg_temp.id('t_grill')),
    'BR409', 'A ticket that is ready cannot be bumped.',
    'A ready ticket cannot be bumped again: invalid_transition (BR409).'
);
select throws_ok(
    format('select api.start_ticket(%L)', pg_temp.id('t_grill')),
    'BR409', 'A ticket that is ready cannot be started.',
    'A ready ticket cannot be started: invalid_transition (BR409).'
);
select is(
    api.bump_ticket(pg_temp.id('t_bar')) ->> 'status',
    'ready',
    'The bar ticket is bumped straight from queued to ready.'
);
select is(pg_temp.statuses(), 'grill ready, bar ready, order ready', 'Every ticket is ready: so is the order.');
select pg_temp.act_as(null);
select results_eq(
    $$select t.started_at is not null, t.ready_at is not null
    from app.tickets as t where t.id in (pg_temp.id('t_grill'), pg_temp.id('t_bar'))$$,
    $$values (true, true), (true, true)$$,
    'Both tickets have their start and ready times (a direct bump counts as started).'
);

-- Recall: back to the kitchen.
select pg_temp.act_as('kitchen_a');
select is(
    api.recall_ticket(pg_temp.id('t_bar')) ->> 'status',
    'in_progress',
    'The kitchen recalls the bar ticket: in_progress again.'
);
select is(pg_temp.statuses(), 'grill ready, bar in_progress, order preparing', 'The order is back to preparing.');
select throws_ok(
    format('select api.recall_ticket(%L)', pg_temp.id('t_bar')),
    'BR409', 'A ticket that is in_progress cannot be recalled.',
    'A ticket in progress cannot be recalled: invalid_transition (BR409).'
);
select pg_temp.act_as('manager_a');
select is(
    api.bump_ticket(pg_temp.id('t_bar')) ->> 'status',
    'ready',
    'A manager may bump too: the bar ticket is ready again.'
);
select is(pg_temp.statuses(), 'grill ready, bar ready, order ready', 'And the order is ready again.');
select pg_temp.act_as(null);
-- (A bag, not a list: rows of one transaction share their time and millisecond.)
select bag_eq(
    $$select c.from_status, c.to_status, c.actor_role
    from app.order_status_changes as c
    where c.order_id = pg_temp.id('o1')$$,
    $$values
    (null::text, 'placed', 'customer'), ('placed', 'accepted', 'waiter'),
    ('accepted', 'preparing', 'system'), ('preparing', 'ready', 'system'),
    ('ready', 'preparing', 'system'), ('preparing', 'ready', 'system')$$,
    'The kitchen''s moves are in the order''s history as the system''s.'
);

-- Rush: any staff of the branch flags a ticket.
select pg_temp.act_as('waiter_a');
select is(
    api.rush_ticket(pg_temp.id('t_grill'), true) -> 'rush',
    'true'::jsonb,
    'A waiter flags the grill ticket as rush.'
);
select pg_temp.act_as('kitchen_a2');
select throws_ok(
    format('select api.rush_ticket(%L, true)', pg_temp.id('t_bar')),
    'BR404', 'Ticket not found.',
    'The kitchen device of A2 cannot rush A1''s ticket: not_found (BR404).'
);

-- Once served, the kitchen is done with the order.
select pg_temp.act_as('waiter_a');
select is(
    api.transition_order(pg_temp.id('o1'), 'served') ->> 'status',
    'served',
    'The waiter serves the order.'
);
select pg_temp.act_as('kitchen_a');
select throws_ok(
    format('select api.recall_ticket(%L)', pg_temp.id('t_bar')),
    'BR409', 'A ticket that is ready cannot be recalled.',
    'A served order''s ticket cannot be recalled: invalid_transition (BR409).'
);
select pg_temp.act_as(null);
select is(pg_temp.statuses(), 'grill ready, bar ready, order served', 'The served order and its tickets stay as they were.');
select pg_temp.act_as('kitchen_a');
select is(
    api.list_tickets(pg_temp.id('br_a1')) -> 'items',
    '[]'::jsonb,
    'No open ticket is left on the screen of A1.'
);
select is(
    jsonb_array_length(api.list_tickets(pg_temp.id('br_a1'), null, 'ready') -> 'items'),
    2,
    'Both tickets are on the recent ready list.'
);

-- An order the kitchen bumps without starting goes straight from accepted to ready.
do $$
begin
    perform pg_temp.place('o2', 'customer_s2', 's2', pg_temp.items(pg_temp.line('it_a_fries')));
    perform pg_temp.call_as('waiter_a', format('api.transition_order(%L, %L)', pg_temp.id('o2'), 'accepted'));
end;
$$;
select pg_temp.act_as('kitchen_a');
select is(
    api.bump_ticket(pg_temp.ticket('o2', 'st_a1')) ->> 'status',
    'ready',
    'The kitchen bumps the only ticket of another order while it is still queued.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select c.from_status, c.to_status, c.actor_role
    from app.order_status_changes as c
    where c.order_id = pg_temp.id('o2') and c.from_status = 'accepted'$$,
    $$values ('accepted', 'ready', 'system')$$,
    'That order went from accepted straight to ready, by the system.'
);

select * from finish();
rollback;
