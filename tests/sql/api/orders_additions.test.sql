-- Changing an order after it was placed. api.add_order_items (front-of-house staff) adds a
-- round: priced like a placement, and only its lines go to the kitchen, on new tickets (the
-- earlier tickets are not sent again). api.cancel_order_item strikes a line through on the
-- ticket that has it (ticket.updated with the line cancelled); api.cancel_order of an accepted
-- order cancels its tickets; the guest may cancel only while the order is placed.
begin;
\ir _fixtures/orders.ddl
select plan(46);

-- The ticket that holds a line, by the line's name and round (as the superuser).
create function pg_temp.line_ticket(order_key text, item_name text, round integer default 1)
returns uuid
language sql
stable
as $$
    select i.ticket_id
    from app.order_items as i
    where i.order_id = pg_temp.id(order_key) and i.name = item_name and i.round = line_ticket.round
$$;
grant execute on function pg_temp.line_ticket(text, text, integer) to staff, customer;

-- The line's id, by name and round.
create function pg_temp.line_id(order_key text, item_name text, round integer default 1)
returns uuid
language sql
stable
as $$
    select i.id
    from app.order_items as i
    where i.order_id = pg_temp.id(order_key) and i.name = item_name and i.round = line_id.round
$$;
grant execute on function pg_temp.line_id(text, text, integer) to staff, customer;

-- How many ticket.created events carried each line of an order: 'name/round: n', in order.
create function pg_temp.sent(order_key text)
returns text[]
language sql
stable
as $$
    select array_agg(
        format(
            '%s/%s: %s', i.name, i.round,
            (
                select count(*) from queue.events as e
                where e.order_id = i.order_id and e.type = 'ticket.created'
                    and e.payload -> 'items' @> jsonb_build_array(jsonb_build_object('id', i.id))
            )
        )
        order by i.round, i.name
    )
    from app.order_items as i
    where i.order_id = pg_temp.id(order_key)
$$;

do $$
begin
    perform pg_temp.place(
        'o1', 'customer_s1', 's1',
        pg_temp.items(pg_temp.line('it_a1', 1, '{op_a_small}'), pg_temp.line('it_a_cola'))
    );
    perform pg_temp.call_as('waiter_a', format('api.transition_order(%L, %L)', pg_temp.id('o1'), 'accepted'));
end;
$$;
create temporary table first_tickets as
select t.* from app.tickets as t
where t.order_id = pg_temp.id('o1');
create temporary table state_before as select pg_temp.order_state() as digest;

-- Who may add.
select pg_temp.act_as('customer_s1');
select throws_ok(
    format('select api.add_order_items(%L, %L)', pg_temp.id('o1'), pg_temp.items(pg_temp.line('it_a_fries'))),
    '42501', null,
    'The guest may not call api.add_order_items (42501): guests place another order.'
);
select pg_temp.act_as('kitchen_a');
select throws_ok(
    format('select api.add_order_items(%L, %L)', pg_temp.id('o1'), pg_temp.items(pg_temp.line('it_a_fries'))),
    'BR403', 'Front-of-house staff add to an order (guests place a new round).',
    'The kitchen cannot add to an order: forbidden (BR403).'
);
select pg_temp.act_as('manager_a2');
select throws_ok(
    format('select api.add_order_items(%L, %L)', pg_temp.id('o1'), pg_temp.items(pg_temp.line('it_a_fries'))),
    'BR404', 'Order not found.',
    'A manager scoped to A2 gets not_found (BR404) for an order of A1.'
);
select pg_temp.act_as('owner_b');
select throws_ok(
    format('select api.add_order_items(%L, %L)', pg_temp.id('o1'), pg_temp.items(pg_temp.line('it_a_fries'))),
    'BR404', 'Order not found.',
    'The owner of B gets not_found (BR404) for A''s order.'
);
select pg_temp.act_as('waiter_a');
select throws_ok(
    format('select api.add_order_items(%L, %L)', pg_temp.id('o1'), pg_temp.items(pg_temp.line('it_a_fries'), pg_temp.line('it_a2'))),
    'BR409', 'Hummus is not available now.',
    'An addition with an unavailable item is item_unavailable (BR409).'
);
select throws_ok(
    format(
        'select api.add_order_items(%L, %L)', pg_temp.id('o1'),
        pg_temp.items(pg_temp.line('it_a_fries')) || '{"promo_code": "X"}'
    ),
    'BR422', 'Unknown field(s): promo_code.',
    'An addition takes items only: validation_failed (BR422).'
);
select throws_ok(
    format('select api.add_order_items(%L, %L)', pg_temp.id('o1'), '{"items": []}'),
    'BR422', 'items must be a list of 1 to 100 lines.',
    'An empty addition is validation_failed (BR422).'
);
select pg_temp.act_as(null);
select is(
    pg_temp.order_state(), (select s.digest from state_before as s),
    'The refused additions changed nothing.'
);

-- A second round: fries (the grill, by default) and another cola (the bar).
select pg_temp.act_as('waiter_a');
select is(
    pg_temp.money(api.add_order_items(
        pg_temp.id('o1'), pg_temp.items(pg_temp.line('it_a_fries'), pg_temp.line('it_a_cola', 2))
    )),
    'subtotal 3300, service 0, tax 0, total 3300',
    'A waiter adds fries and two colas: the order is repriced (1800 + 350 + 450 + 2 x 350).'
);
select pg_temp.act_as(null);
select is(
    pg_temp.sent('o1'),
    array['Chicken Shawarma/1: 1', 'Cola/1: 1', 'Cola/2: 1', 'Fries/2: 1'],
    'Each line was sent to the kitchen exactly once: the first round was not sent again.'
);
select results_eq(
    $$select pg_temp.label(t.station_id::text), t.status, array_agg(i.name || '/' || i.round order by i.name)
    from app.tickets as t
    inner join app.order_items as i on i.ticket_id = t.id
    where t.order_id = pg_temp.id('o1') and t.id not in (select f.id from first_tickets as f)
    group by t.restaurant_id, t.id
    order by 1$$,
    $$values ('st_a1', 'queued', array['Fries/2']), ('st_a1_bar', 'queued', array['Cola/2'])$$,
    'The second round is on two new tickets, one per station, holding only its own lines.'
);
select set_eq(
    $$select t.id, t.status, t.updated_at from app.tickets as t where t.order_id = pg_temp.id('o1')
    and t.id in (select f.id from first_tickets as f)$$,
    $$select f.id, f.status, f.updated_at from first_tickets as f$$,
    'The first round''s tickets are untouched.'
);
select is(
    (
        select array_agg(i.name || '/' || i.round order by i.name)
        from app.order_items as i
        where i.ticket_id in (select f.id from first_tickets as f)
    ),
    array['Chicken Shawarma/1', 'Cola/1'],
    'The first round''s tickets still hold only the first round''s lines.'
);

-- Adding to a ready order sends it back to the kitchen.
do $$
begin
    perform pg_temp.call_as('kitchen_a', format('api.bump_ticket(%L)', t.id))
    from app.tickets as t where t.order_id = pg_temp.id('o1');
end;
$$;
select is(
    (
        select o.status from app.orders as o
        where o.id = pg_temp.id('o1')
    ),
    'ready',
    'Setup: the kitchen bumped all four tickets; the order is ready.'
);
select pg_temp.act_as('manager_a');
select is(
    api.add_order_items(pg_temp.id('o1'), pg_temp.items(pg_temp.line('it_a_fries'))) ->> 'status',
    'preparing',
    'A manager adds fries to the ready order: it is preparing again.'
);
select pg_temp.act_as(null);
select is(
    (
        select t.status from app.tickets as t
        where t.id = pg_temp.line_ticket('o1', 'Fries', 3)
    ),
    'queued',
    'The third round is a new queued ticket.'
);
select is(
    pg_temp.sent('o1'),
    array['Chicken Shawarma/1: 1', 'Cola/1: 1', 'Cola/2: 1', 'Fries/2: 1', 'Fries/3: 1'],
    'Again only the new line was sent.'
);

-- Adding to a placed order: nothing reaches the kitchen before it is accepted, then all of it
-- in one ticket per station.
do $$
begin
    perform pg_temp.place('o2', 'customer_s2', 's2', pg_temp.items(pg_temp.line('it_a_cola')));
end;
$$;
select pg_temp.act_as('waiter_a');
select is(
    (select jsonb_agg(x ->> 'status') from jsonb_array_elements(
        api.add_order_items(pg_temp.id('o2'), pg_temp.items(pg_temp.line('it_a_cola', 1, '{op_a_ice}'))) -> 'items'
    ) as x),
    '["pending", "pending"]'::jsonb,
    'An addition to a placed order stays pending with the rest.'
);
select is(
    api.transition_order(pg_temp.id('o2'), 'accepted') ->> 'status',
    'accepted',
    'The waiter accepts it.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select pg_temp.label(t.station_id::text), count(i.id)
    from app.tickets as t
    inner join app.order_items as i on i.ticket_id = t.id
    where t.order_id = pg_temp.id('o2')
    group by t.restaurant_id, t.id$$,
    $$values ('st_a1_bar', 2::bigint)$$,
    'Both rounds went to the bar on one ticket.'
);

-- Cancelling a line the kitchen has.
select pg_temp.act_as('customer_s1');
select throws_ok(
    format('select api.cancel_order_item(%L, %L)', pg_temp.id('o1'), pg_temp.line_id('o1', 'Fries', 3)),
    'BR409', 'This line cannot be cancelled (order preparing, line queued).',
    'The guest cannot cancel a line once the order is accepted: invalid_transition (BR409).'
);
select pg_temp.act_as('customer_s2');
select throws_ok(
    format('select api.cancel_order_item(%L, %L)', pg_temp.id('o1'), pg_temp.line_id('o1', 'Fries', 3)),
    'BR404', 'Order not found.',
    'The guest of S2 cannot cancel a line of S1''s order: not_found (BR404).'
);
select pg_temp.act_as('waiter_a');
select throws_ok(
    format('select api.cancel_order_item(%L, %L)', pg_temp.id('o1'), pg_temp.line_id('o1', 'Cola', 1)),
    'BR409', 'This line cannot be cancelled (order preparing, line ready).',
    'A ready line cannot be cancelled: invalid_transition (BR409).'
);
select throws_ok(
    format('select api.cancel_order_item(%L, %L)', pg_temp.id('o1'), pg_temp.line_id('o2', 'Cola')),
    'BR404', 'Order line not found.',
    'A line of another order is not_found (BR404).'
);
select is(
    pg_temp.money(api.cancel_order_item(pg_temp.id('o1'), pg_temp.line_id('o1', 'Fries', 3))),
    'subtotal 3300, service 0, tax 0, total 3300',
    'The waiter cancels the third-round fries: the order is repriced without them (3750 - 450).'
);
select pg_temp.act_as(null);
select results_eq(
    $$select e.type, e.payload ->> 'status', x ->> 'name', x ->> 'status'
    from queue.events as e
    cross join jsonb_array_elements(e.payload -> 'items') as x
    where e.order_id = pg_temp.id('o1') and e.payload ->> 'id' = pg_temp.line_ticket('o1', 'Fries', 3)::text
    order by e.id$$,
    $$values
    ('ticket.created', 'queued', 'Fries', 'queued'),
    ('ticket.updated', 'cancelled', 'Fries', 'cancelled')$$,
    'The station got ticket.updated with the line struck through (cancelled), and so the ticket.'
);
select is(
    (
        select o.status from app.orders as o
        where o.id = pg_temp.id('o1')
    ),
    'ready',
    'With the only unfinished line cancelled, every live ticket is ready: so is the order.'
);
select pg_temp.act_as('waiter_a');
select throws_ok(
    format('select api.cancel_order_item(%L, %L)', pg_temp.id('o1'), pg_temp.line_id('o1', 'Fries', 3)),
    'BR409', 'This line cannot be cancelled (order ready, line cancelled).',
    'A line cannot be cancelled twice: invalid_transition (BR409).'
);

-- A placed order: the guest cancels lines, and the order with its last line.
do $$
begin
    perform pg_temp.place(
        'o3', 'customer_s1', 's1', pg_temp.items(pg_temp.line('it_a_cola'), pg_temp.line('it_a_fries'))
    );
end;
$$;
select pg_temp.act_as('customer_s1');
select is(
    pg_temp.money(api.cancel_order_item(pg_temp.id('o3'), pg_temp.line_id('o3', 'Cola'))),
    'subtotal 450, service 0, tax 0, total 450',
    'The guest cancels the cola of their placed order: it is repriced.'
);
select is(
    api.cancel_order_item(pg_temp.id('o3'), pg_temp.line_id('o3', 'Fries')) ->> 'status',
    'cancelled',
    'Cancelling its last line cancels the placed order.'
);
select pg_temp.act_as(null);
select is(
    pg_temp.order_events('o3'),
    array['order.status placed', 'order.status cancelled'],
    'The placed order had no ticket: only its status events were written.'
);

-- Cancelling an accepted order cancels its tickets.
do $$
begin
    perform pg_temp.place(
        'o4', 'customer_s2', 's2',
        pg_temp.items(pg_temp.line('it_a1', 1, '{op_a_large}'), pg_temp.line('it_a_cola'))
    );
end;
$$;
do $$
begin
    perform pg_temp.call_as('waiter_a', format('api.transition_order(%L, %L)', pg_temp.id('o4'), 'accepted'));
end;
$$;
select pg_temp.act_as('customer_s2');
select throws_ok(
    format('select api.cancel_order(%L)', pg_temp.id('o4')),
    'BR403', 'You may not move an order from accepted to cancelled.',
    'The guest cannot cancel an accepted order (staff may): forbidden (BR403).'
);
select pg_temp.act_as('waiter_a');
select is(
    api.cancel_order(pg_temp.id('o4')) ->> 'status',
    'cancelled',
    'The waiter cancels the accepted order.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select pg_temp.label(t.station_id::text), t.status from app.tickets as t
    where t.order_id = pg_temp.id('o4') order by 1$$,
    $$values ('st_a1', 'cancelled'), ('st_a1_bar', 'cancelled')$$,
    'Both of its tickets are cancelled.'
);
select results_eq(
    $$select e.type, pg_temp.label(e.station_id::text), e.payload ->> 'status',
        (select array_agg(distinct x ->> 'status') from jsonb_array_elements(e.payload -> 'items') as x)
    from queue.events as e
    where e.order_id = pg_temp.id('o4') and e.type = 'ticket.updated'
    order by e.id$$,
    $$select 'ticket.updated', s, 'cancelled', array['cancelled']
    from unnest(array['st_a1', 'st_a1_bar']) as s order by pg_temp.id(s)$$,
    'Each station got ticket.updated with its ticket and every line cancelled.'
);
select is(
    pg_temp.order_events('o4'),
    array[
        'order.status placed', 'ticket.created queued', 'ticket.created queued',
        'order.status accepted', 'ticket.updated cancelled', 'ticket.updated cancelled',
        'order.status cancelled'
    ],
    'The order''s events in order: placed, two tickets, accepted, two tickets cancelled, cancelled.'
);
select pg_temp.act_as('kitchen_a');
select is(
    (
        select count(*)::integer
        from jsonb_array_elements(api.list_tickets(pg_temp.id('br_a1')) -> 'items') as x
        where x ->> 'order_id' = pg_temp.id('o4')::text
    ),
    0,
    'The cancelled tickets are off the kitchen''s open list.'
);
select is(
    (
        select count(*)::integer
        from jsonb_array_elements(api.list_tickets(pg_temp.id('br_a1'), null, 'cancelled') -> 'items') as x
        where x ->> 'order_id' = pg_temp.id('o4')::text
    ),
    2,
    'They are on its recent cancelled list.'
);

-- Orders that are over take no more items.
select pg_temp.act_as('waiter_a');
select throws_ok(
    format('select api.add_order_items(%L, %L)', pg_temp.id('o4'), pg_temp.items(pg_temp.line('it_a_fries'))),
    'BR409', 'A cancelled order takes no more items.',
    'A cancelled order takes no more items: invalid_transition (BR409).'
);
select lives_ok(
    format('select api.transition_order(%L, %L)', pg_temp.id('o1'), 'served'),
    'The waiter serves the first order.'
);
select throws_ok(
    format('select api.add_order_items(%L, %L)', pg_temp.id('o1'), pg_temp.items(pg_temp.line('it_a_fries'))),
    'BR409', 'A served order takes no more items.',
    'A served order takes no more items: invalid_transition (BR409).'
);
select throws_ok(
    format('select api.cancel_order_item(%L, %L)', pg_temp.id('o1'), pg_temp.line_id('o1', 'Fries', 2)),
    'BR409', 'This line cannot be cancelled (order served, line ready).',
    'A served order''s line cannot be cancelled: invalid_transition (BR409).'
);

-- The kitchen had started it, then its only line is cancelled: nothing is left to make or to
-- charge, so the order is cancelled by the system (it does not linger in preparing, ahead of
-- every later guest in the queue).
select pg_temp.place('o_lone', 'customer_s1', 's1', pg_temp.items(pg_temp.line('it_a_fries')));
select pg_temp.call_as('waiter_a', format('api.transition_order(%L, %L)', pg_temp.id('o_lone'), 'accepted'));
select pg_temp.call_as('kitchen_a', format('api.start_ticket(%L)', pg_temp.ticket('o_lone', 'st_a1')));
select is(
    pg_temp.call_as(
        'waiter_a',
        format('api.cancel_order_item(%L, %L)', pg_temp.id('o_lone'), pg_temp.line_id('o_lone', 'Fries'))
    ) ->> 'status',
    'cancelled',
    'Cancelling the last line of a preparing order cancels the order.'
);
select results_eq(
    $$select c.from_status, c.to_status, c.actor_role from app.order_status_changes as c
    where c.order_id = pg_temp.id('o_lone') order by c.at$$,
    $$values
        (null, 'placed', 'customer'), ('placed', 'accepted', 'waiter'),
        ('accepted', 'preparing', 'system'), ('preparing', 'cancelled', 'system')$$,
    'The history says the system cancelled it, after the kitchen had started it.'
);
select is(
    (
        select t.status from app.tickets as t
        where t.order_id = pg_temp.id('o_lone')
    ),
    'cancelled',
    'Its ticket is cancelled too.'
);

-- Lines come back in the order they were sent, not in the (random within a millisecond)
-- order of their ids: twelve lines alternating two dishes, each with its number as a note.
select is(
    (
        select string_agg(l.x ->> 'note', ',' order by l.n)
        from jsonb_array_elements(
            pg_temp.place(
                'o_sequence', 'customer_s1', 's1',
                jsonb_build_object('items', (
                    select
                        jsonb_agg(
                            pg_temp.line(case when g % 2 = 0 then 'it_a_cola' else 'it_a_fries' end)
                            || jsonb_build_object('note', g::text)
                            order by g
                        )
                    from generate_series(1, 12) as g
                ))
            ) -> 'items'
        ) with ordinality as l (x, n)
    ),
    '1,2,3,4,5,6,7,8,9,10,11,12',
    'An order''s lines are returned in the order the guest sent them.'
);

select * from finish();
rollback;
