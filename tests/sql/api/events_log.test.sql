-- The event log (queue.events) as the order and ticket functions write it, and as
-- api.stream_events replays it: each change writes its events in its own transaction, with the
-- branch's next ids (consecutive, per branch, none lost to a rollback), the routing keys
-- (channel, station, session, order) and the payloads of API.md: order.status {order_id,
-- status}; ticket.created and ticket.updated carry the ticket {id, order_id, order_number,
-- station_id, status, rush, items [{id, name, quantity, options, note, course, status}],
-- created_at, elapsed_seconds, target_seconds} and never a price. A subscriber replays only
-- what its claims may see.
begin;
\ir _fixtures/orders.ddl
select plan(38);

-- The events of a branch as 'id type status' (as the superuser).
create function pg_temp.branch_events(branch text)
returns text[]
language sql
stable
as $$
    select coalesce(array_agg(e.id || ' ' || e.type || ' ' || (e.payload ->> 'status') order by e.id), '{}')
    from queue.events as e
    where e.restaurant_id = pg_temp.id('r_a') and e.branch_id = pg_temp.id(branch)
$$;

-- An api.stream_events answer as 'id type' labels.
create function pg_temp.replayed(answer jsonb)
returns text[]
language sql
immutable
as $$
    select coalesce(array_agg((x ->> 'id') || ' ' || (x ->> 'type') order by (x ->> 'id')::bigint), '{}')
    from jsonb_array_elements(answer) as x
$$;

-- Places an order as a persona in a subtransaction that is then rolled back.
create function pg_temp.place_rolled_back(persona text, session text, body jsonb)
returns void
language plpgsql
as $$
begin
    perform pg_temp.act_as(persona);
    perform api.place_order(pg_temp.id(session), body);
    raise exception using errcode = 'ZX000';
exception
    when sqlstate 'ZX000' then
        null;
end;
$$;

-- The guest of S1 orders a shawarma (grill) and a cola (bar).
select pg_temp.act_as('customer_s1');
select is(
    pg_temp.keep('o1', api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a1', 1, '{op_a_large,op_a_cheese}', '{"note": "no onions"}'),
        pg_temp.line('it_a_cola', 2, '{op_a_ice}')
    ))) ->> 'status',
    'placed',
    'The guest of S1 places an order.'
);
select pg_temp.act_as(null);
select is(
    pg_temp.branch_events('br_a1'),
    array['1 order.status placed'],
    'The placement wrote, in its own transaction, event 1 of branch A1: order.status placed.'
);
select results_eq(
    $$select e.channel, e.station_id, pg_temp.label(e.session_id::text), pg_temp.label(e.order_id::text), e.payload
    from queue.events as e
    where e.restaurant_id = pg_temp.id('r_a') and e.branch_id = pg_temp.id('br_a1') and e.id = 1$$,
    $$values (
        'orders', null::uuid, 's1', 'o1',
        jsonb_build_object('order_id', pg_temp.id('o1'), 'status', 'placed')
    )$$,
    'order.status is on the orders channel, for the order''s session and order, no station; payload {order_id, status}.'
);
select results_eq(
    $$select h.last_id from queue.event_heads as h
    where h.restaurant_id = pg_temp.id('r_a') and h.branch_id = pg_temp.id('br_a1')$$,
    $$values (1::bigint)$$,
    'The branch''s head row holds the last id given.'
);

-- A placement rolled back (its request failed later) gives its ids back, like its number.
select pg_temp.place_rolled_back('customer_s2', 's2', pg_temp.items(pg_temp.line('it_a_cola')));
select pg_temp.act_as('waiter_a');
select throws_ok(
    format('select api.transition_order(%L, %L)', pg_temp.id('o1'), 'served'),
    'BR409', 'An order cannot go from placed to served.',
    'A refused call writes no event (serving a placed order: invalid_transition).'
);
select is(
    api.transition_order(pg_temp.id('o1'), 'accepted') ->> 'status',
    'accepted',
    'The waiter accepts the order.'
);
select pg_temp.act_as(null);
select is(
    pg_temp.branch_events('br_a1'),
    array[
        '1 order.status placed', '2 ticket.created queued', '3 ticket.created queued',
        '4 order.status accepted'
    ],
    'Accepting wrote events 2 to 4 (no id lost to the rolled-back order): a ticket per station, then the status.'
);
select results_eq(
    $$select e.id, e.channel, pg_temp.label(e.station_id::text), e.session_id, pg_temp.label(e.order_id::text),
        pg_temp.label(e.payload ->> 'station_id')
    from queue.events as e
    where e.restaurant_id = pg_temp.id('r_a') and e.branch_id = pg_temp.id('br_a1') and e.type = 'ticket.created'
    order by e.id$$,
    $$select (row_number() over (order by pg_temp.id(s)) + 1)::bigint, 'kitchen', s, null::uuid, 'o1', s
    from unnest(array['st_a1', 'st_a1_bar']) as s
    order by pg_temp.id(s)$$,
    'Ticket events are on the kitchen channel, addressed to the ticket''s station, with the order and no session.'
);

-- The ticket payload.
create temporary table bar_created as
select e.payload
from queue.events as e
where
    e.restaurant_id = pg_temp.id('r_a') and e.branch_id = pg_temp.id('br_a1')
    and e.type = 'ticket.created' and e.station_id = pg_temp.id('st_a1_bar');
grant select on bar_created to staff;
select ok(
    (select b.payload from bar_created as b) ?& array[
        'id', 'order_id', 'order_number', 'station_id', 'status', 'rush', 'items', 'created_at',
        'elapsed_seconds', 'target_seconds'
    ],
    'The ticket payload has every field of API.md.'
);
select is(
    (select b.payload - array['id', 'created_at', 'started_at', 'ready_at', 'items'] from bar_created as b),
    jsonb_build_object(
        'order_id', pg_temp.id('o1'), 'order_number', 1, 'station_id', pg_temp.id('st_a1_bar'),
        'status', 'queued', 'rush', false, 'elapsed_seconds', 0, 'target_seconds', 600,
        'table_label', 'A1-1'
    ),
    'Its values: the order and its number, the station, queued, not rush, 0 s elapsed of a 600 s target, the table.'
);
select is(
    (select b.payload -> 'items' from bar_created as b),
    jsonb_build_array(jsonb_build_object(
        'id', (
            select i.id from app.order_items as i
            where i.order_id = pg_temp.id('o1') and i.name = 'Cola'
        ),
        'name', 'Cola', 'quantity', 2,
        'options', jsonb_build_array(jsonb_build_object('id', pg_temp.id('op_a_ice'), 'name', 'No ice')),
        'note', null, 'course', 1, 'status', 'queued'
    )),
    'Its items: {id, name, quantity, options [{id, name}], note, course, status}, only the bar''s line.'
);
select is(
    (
        select count(*) from queue.events as e
        where e.restaurant_id = pg_temp.id('r_a') and e.channel = 'kitchen' and e.payload::text ~* 'price'
    ),
    0::bigint,
    'No ticket payload carries a price.'
);
select pg_temp.act_as('kitchen_a');
select is(
    (select b.payload from bar_created as b),
    api.list_tickets(pg_temp.id('br_a1'), pg_temp.id('st_a1_bar')) -> 'items' -> 0,
    'The event''s ticket is the ticket as the kitchen''s list shows it.'
);

-- The kitchen works: ticket.updated per move, order.status when the order follows.
select is(
    api.start_ticket(pg_temp.ticket('o1', 'st_a1')) ->> 'status',
    'in_progress',
    'The kitchen starts the grill ticket.'
);
select is(
    api.bump_ticket(pg_temp.ticket('o1', 'st_a1')) ->> 'status',
    'ready',
    'The kitchen bumps the grill ticket.'
);
select is(
    api.bump_ticket(pg_temp.ticket('o1', 'st_a1_bar')) ->> 'status',
    'ready',
    'The kitchen bumps the bar ticket.'
);
select pg_temp.act_as(null);
select is(
    (pg_temp.branch_events('br_a1'))[5:],
    array[
        '5 ticket.updated in_progress', '6 order.status preparing', '7 ticket.updated ready',
        '8 ticket.updated ready', '9 order.status ready'
    ],
    'Each move wrote ticket.updated, and the order''s moves order.status, with the next ids.'
);
select results_eq(
    $$select e.id, e.payload
    from queue.events as e
    where e.restaurant_id = pg_temp.id('r_a') and e.branch_id = pg_temp.id('br_a1') and e.type = 'order.status'
    order by e.id$$,
    $$values
    (1::bigint, jsonb_build_object('order_id', pg_temp.id('o1'), 'status', 'placed')),
    (4, jsonb_build_object('order_id', pg_temp.id('o1'), 'status', 'accepted')),
    (6, jsonb_build_object('order_id', pg_temp.id('o1'), 'status', 'preparing')),
    (9, jsonb_build_object('order_id', pg_temp.id('o1'), 'status', 'ready'))$$,
    'Every order.status payload is exactly {order_id, status}.'
);

-- Another branch counts its own ids; another session's orders are its own.
do $$
begin
    perform pg_temp.place('o_a2', 'customer_a2', 's_a2', pg_temp.items(pg_temp.line('it_a_cola')));
    perform pg_temp.place('o2', 'customer_s2', 's2', pg_temp.items(pg_temp.line('it_a_fries')));
end;
$$;
select is(
    pg_temp.branch_events('br_a2'),
    array['1 order.status placed'],
    'Branch A2''s first event is its own number 1.'
);
select is(
    (pg_temp.branch_events('br_a1'))[10:],
    array['10 order.status placed'],
    'A1 goes on with 10.'
);

-- Replay as each subscriber.
select pg_temp.act_as('customer_s1');
select is(
    pg_temp.replayed(api.stream_events(pg_temp.id('br_a1'), 0)),
    array['1 order.status', '4 order.status', '6 order.status', '9 order.status'],
    'The guest of S1 replays only the order events of S1: no ticket, nothing of S2.'
);
select is(
    pg_temp.replayed(api.stream_events(pg_temp.id('br_a1'), 4)),
    array['6 order.status', '9 order.status'],
    'After id 4 the guest replays only the later ones.'
);
select is(
    api.stream_events(pg_temp.id('br_a1'), 8, order_id => pg_temp.id('o1')),
    jsonb_build_array(jsonb_build_object(
        'id', 9, 'type', 'order.status', 'data', jsonb_build_object('order_id', pg_temp.id('o1'), 'status', 'ready')
    )),
    'A replayed event is {id, type, data} with the payload as data.'
);
select is(
    api.stream_events(pg_temp.id('br_a1'), 0, order_id => pg_temp.id('o2')),
    '[]'::jsonb,
    'The guest of S1 asking for S2''s order gets nothing.'
);
select is(
    api.stream_events(pg_temp.id('br_a2'), 0),
    '[]'::jsonb,
    'The guest of S1 asking for another branch gets nothing.'
);
select pg_temp.act_as('customer_s2');
select is(
    pg_temp.replayed(api.stream_events(pg_temp.id('br_a1'), 0)),
    array['10 order.status'],
    'The guest of S2 replays only the event of S2''s order.'
);
select pg_temp.act_as('kitchen_a');
select is(
    cardinality(pg_temp.replayed(api.stream_events(pg_temp.id('br_a1'), 0))),
    10,
    'The kitchen of A1 replays all ten events of A1.'
);
select is(
    pg_temp.replayed(api.stream_events(pg_temp.id('br_a1'), 0, pg_temp.id('st_a1_bar'))),
    array[
        '1 order.status',
        -- The tickets were announced in station id order (see above): the bar's is 2 or 3.
        case when pg_temp.id('st_a1_bar') < pg_temp.id('st_a1') then '2' else '3' end || ' ticket.created',
        '4 order.status',
        '6 order.status', '8 ticket.updated', '9 order.status', '10 order.status'
    ],
    'Filtered to the bar, the kitchen replays the bar''s tickets and the branch-wide events, not the grill''s.'
);
select is(
    pg_temp.replayed(api.stream_events(pg_temp.id('br_a1'), 0, lim => 2)),
    array['1 order.status', '2 ticket.created'],
    'A replay is cut at its limit, oldest first.'
);
select pg_temp.act_as('kitchen_a2');
select is(
    api.stream_events(pg_temp.id('br_a1'), 0),
    '[]'::jsonb,
    'The kitchen device of A2 replays nothing of A1.'
);
select pg_temp.act_as('manager_a2');
select is(
    api.stream_events(pg_temp.id('br_a1'), 0),
    '[]'::jsonb,
    'A manager scoped to A2 replays nothing of A1.'
);
select pg_temp.act_as('owner_b');
select is(
    api.stream_events(pg_temp.id('br_a1'), 0),
    '[]'::jsonb,
    'The owner of B replays nothing of A.'
);

-- Opening a stream: who may, and from which id.
select pg_temp.act_as('kitchen_a');
select is(
    api.kds_stream(pg_temp.id('br_a1'), pg_temp.id('st_a1_bar')),
    jsonb_build_object(
        'restaurant_id', pg_temp.id('r_a'), 'branch_id', pg_temp.id('br_a1'),
        'station_id', pg_temp.id('st_a1_bar'), 'last_event_id', 10
    ),
    'The kitchen of A1 opens the bar''s stream from the branch''s last event, 10.'
);
select throws_ok(
    format('select api.kds_stream(%L, %L)', pg_temp.id('br_a1'), pg_temp.id('st_a2')),
    'BR404', 'Station not found.',
    'A station of another branch is not_found (BR404).'
);
select pg_temp.act_as('kitchen_a2');
select throws_ok(
    format('select api.kds_stream(%L)', pg_temp.id('br_a1')),
    'BR404', 'Branch not found.',
    'The kitchen device of A2 cannot open A1''s kitchen stream: not_found (BR404).'
);
select pg_temp.act_as('customer_s1');
select throws_ok(
    format('select api.kds_stream(%L)', pg_temp.id('br_a1')),
    'BR404', 'Branch not found.',
    'A guest cannot open a kitchen stream: not_found (BR404).'
);
select is(
    api.order_stream(pg_temp.id('o1')) - 'restaurant_id',
    jsonb_build_object(
        'branch_id', pg_temp.id('br_a1'), 'order_id', pg_temp.id('o1'), 'session_id', pg_temp.id('s1'),
        'status', 'ready', 'last_event_id', 9
    ),
    'The guest of S1 opens the stream of their order from the last event they may see (9: 10 is S2''s).'
);
select pg_temp.act_as('customer_s2');
select throws_ok(
    format('select api.order_stream(%L)', pg_temp.id('o1')),
    'BR404', 'Order not found.',
    'The guest of S2 cannot open the stream of S1''s order: not_found (BR404).'
);

select * from finish();
rollback;
