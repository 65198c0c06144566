-- Routing an order to the kitchen: nothing goes to the kitchen while an order is placed; on
-- accept (by staff, or at once where the branch auto-accepts) its lines become one ticket per
-- station, by the stations' categories, with unrouted categories at the branch's default
-- station and routes to other branches' stations ignored. Lines of a later course than the
-- first are held until fired (api.fire_ticket), and a held course keeps the order from being
-- ready.
begin;
\ir _fixtures/orders.ddl
select plan(31);

-- Shawarma (Mains: the grill), Fries (Sides: routed nowhere, so the default station, the grill),
-- Cola (Drinks: the bar); course 1 now, fries as course 2, a second cola as course 3.
select pg_temp.act_as('waiter_a');
select is(
    pg_temp.keep('o1', api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a1', 1, '{op_a_small}'),
        pg_temp.line('it_a_fries', 2, '{}', '{"course": 2}'),
        pg_temp.line('it_a_cola'),
        pg_temp.line('it_a_cola', 1, '{}', '{"course": 3, "note": "with dessert"}')
    ))) ->> 'status',
    'placed',
    'A waiter places a four-line order at A1 (the branch does not auto-accept).'
);
select pg_temp.act_as(null);
select is(
    (
        select count(*) from app.tickets as t
        where t.order_id = pg_temp.id('o1')
    ),
    0::bigint,
    'A placed order has no ticket yet.'
);
select is(
    (
        select array_agg(distinct i.status || '/' || coalesce(i.ticket_id::text, 'none'))
        from app.order_items as i
        where i.order_id = pg_temp.id('o1')
    ),
    '{pending/none}'::text[],
    'Its lines are pending, on no ticket.'
);
select is(
    (
        select count(*) from queue.events as e
        where e.order_id = pg_temp.id('o1') and e.channel = 'kitchen'
    ),
    0::bigint,
    'The kitchen heard nothing of it.'
);

select pg_temp.act_as('waiter_a');
select is(
    api.transition_order(pg_temp.id('o1'), 'accepted') ->> 'status',
    'accepted',
    'The waiter accepts the order.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select pg_temp.label(t.station_id::text), t.status, count(i.id)
    from app.tickets as t
    inner join app.order_items as i on i.ticket_id = t.id
    where t.order_id = pg_temp.id('o1')
    group by t.restaurant_id, t.id
    order by 1$$,
    $$values ('st_a1', 'queued', 2::bigint), ('st_a1_bar', 'queued', 2::bigint)$$,
    'Accepting made one ticket per station: two lines at the grill, two at the bar.'
);
select results_eq(
    $$select i.name, i.course, i.status, pg_temp.label(t.station_id::text)
    from app.order_items as i
    inner join app.tickets as t on i.ticket_id = t.id
    where i.order_id = pg_temp.id('o1')
    order by i.course, i.name$$,
    $$values
    ('Chicken Shawarma', 1, 'queued', 'st_a1'),
    ('Cola', 1, 'queued', 'st_a1_bar'),
    ('Fries', 2, 'held', 'st_a1'),
    ('Cola', 3, 'held', 'st_a1_bar')$$,
    'Mains to the grill, drinks to the bar, unrouted sides to the default station (not the bar, whose name sorts first); courses after the first are held.'
);
select results_eq(
    $$select e.type, pg_temp.label(e.station_id::text)
    from queue.events as e
    where e.order_id = pg_temp.id('o1') and e.channel = 'kitchen'
    order by e.id$$,
    $$select 'ticket.created', s from unnest(array['st_a1', 'st_a1_bar']) as s
    order by pg_temp.id(s)$$,
    'One ticket.created event per new ticket, addressed to its station.'
);

-- The kitchen's screen: open tickets of its branch, items with course and status.
select pg_temp.act_as('kitchen_a');
select is(
    (
        select jsonb_agg(jsonb_build_object('name', x ->> 'name', 'course', x -> 'course', 'status', x ->> 'status'))
        from jsonb_array_elements(
            api.list_tickets(pg_temp.id('br_a1'), pg_temp.id('st_a1_bar')) -> 'items' -> 0 -> 'items'
        ) as x
    ),
    '[{"name": "Cola", "course": 1, "status": "queued"}, {"name": "Cola", "course": 3, "status": "held"}]'::jsonb,
    'The bar''s screen lists its ticket with the held course-3 cola under the course-1 one.'
);
select is(
    jsonb_array_length(api.list_tickets(pg_temp.id('br_a1')) -> 'items'),
    2,
    'Without a station filter the kitchen of A1 sees both open tickets.'
);
select pg_temp.act_as('kitchen_a2');
select throws_ok(
    format('select api.list_tickets(%L)', pg_temp.id('br_a1')),
    'BR404', 'Branch not found.',
    'The kitchen device of A2 cannot list A1''s tickets: not_found (BR404).'
);

-- A held course keeps the order from being ready.
select pg_temp.act_as('kitchen_a');
select is(
    api.bump_ticket(pg_temp.ticket('o1', 'st_a1')) ->> 'status',
    'in_progress',
    'Bumping the grill readies the shawarma; with the fries held the ticket is still in progress.'
);
select is(
    api.bump_ticket(pg_temp.ticket('o1', 'st_a1_bar')) ->> 'status',
    'in_progress',
    'Bumping the bar readies the first cola; the held one keeps the ticket in progress.'
);
select is(
    api.get_order(pg_temp.id('o1')) ->> 'status',
    'preparing',
    'The order is preparing, not ready: held courses are still to come.'
);

-- Firing a course releases its held lines of that ticket only.
select pg_temp.act_as('waiter_a');
select is(
    (
        select jsonb_agg(x ->> 'status' order by x -> 'course')
        from jsonb_array_elements(api.fire_ticket(pg_temp.ticket('o1', 'st_a1_bar'), 3) -> 'items') as x
    ),
    '["ready", "queued"]'::jsonb,
    'A waiter fires course 3 at the bar: the held cola is queued.'
);
select throws_ok(
    format('select api.fire_ticket(%L, 3)', pg_temp.ticket('o1', 'st_a1_bar')),
    'BR409', 'No held items of course 3 on this ticket.',
    'Firing it again finds nothing held: invalid_transition (BR409).'
);
select throws_ok(
    format('select api.fire_ticket(%L, 3)', pg_temp.ticket('o1', 'st_a1')),
    'BR409', 'No held items of course 3 on this ticket.',
    'Course 3 of the grill holds nothing: invalid_transition (BR409).'
);
select throws_ok(
    format('select api.fire_ticket(%L, 0)', pg_temp.ticket('o1', 'st_a1')),
    'BR422', 'course must be from 1 to 9.',
    'Course 0 is validation_failed (BR422).'
);
select pg_temp.act_as('customer_s1');
select throws_ok(
    format('select api.fire_ticket(%L, 2)', pg_temp.ticket('o1', 'st_a1')),
    'BR404', 'Ticket not found.',
    'The guest cannot fire a course: the ticket is not found (BR404).'
);
select pg_temp.act_as('kitchen_a2');
select throws_ok(
    format('select api.fire_ticket(%L, 2)', pg_temp.ticket('o1', 'st_a1')),
    'BR404', 'Ticket not found.',
    'The kitchen device of A2 cannot fire at A1: not_found (BR404).'
);
select pg_temp.act_as('kitchen_a');
select is(
    api.fire_ticket(pg_temp.ticket('o1', 'st_a1'), 2) -> 'items' -> 1 ->> 'status',
    'queued',
    'The kitchen fires course 2 at the grill: the fries are queued.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select i.name, i.course, i.status
    from app.order_items as i
    where i.order_id = pg_temp.id('o1')
    order by i.course, i.name$$,
    $$values
    ('Chicken Shawarma', 1, 'ready'), ('Cola', 1, 'ready'), ('Fries', 2, 'queued'), ('Cola', 3, 'queued')$$,
    'Every line is now made or queued; none is held.'
);
select pg_temp.act_as('kitchen_a');
select is(
    api.bump_ticket(pg_temp.ticket('o1', 'st_a1')) ->> 'status',
    'ready',
    'Bumping the grill now readies the whole ticket.'
);
select is(
    api.get_order(pg_temp.id('o1')) ->> 'status',
    'preparing',
    'The order is still preparing while the bar has a queued cola.'
);
select is(
    api.bump_ticket(pg_temp.ticket('o1', 'st_a1_bar')) ->> 'status',
    'ready',
    'Bumping the bar readies the last ticket.'
);
select is(
    api.get_order(pg_temp.id('o1')) ->> 'status',
    'ready',
    'With every ticket ready the order is ready.'
);

-- Another branch: its own stations only; and a branch that accepts orders at once.
select pg_temp.act_as('owner_a');
select is(
    api.update_branch(pg_temp.id('br_a2'), '{"auto_accept": true}') -> 'auto_accept',
    'true'::jsonb,
    'The owner makes branch A2 accept orders at once.'
);
select pg_temp.act_as('customer_a2');
select is(
    pg_temp.keep('o_a2', api.place_order(pg_temp.id('s_a2'), pg_temp.items(
        pg_temp.line('it_a1', 1, '{op_a_large}'), pg_temp.line('it_a_cola')
    ))) ->> 'status',
    'accepted',
    'An order placed at A2 is accepted at once.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select pg_temp.label(t.station_id::text), t.status, array_agg(i.name order by i.name)
    from app.tickets as t
    inner join app.order_items as i on i.ticket_id = t.id
    where t.order_id = pg_temp.id('o_a2')
    group by t.restaurant_id, t.id$$,
    $$values ('st_a2', 'queued', array['Chicken Shawarma', 'Cola'])$$,
    'At A2 everything goes to its one station: the drinks route there, and A1''s grill route does not count.'
);
select results_eq(
    $$select c.from_status, c.to_status, c.actor_role
    from app.order_status_changes as c
    where c.order_id = pg_temp.id('o_a2')
    order by c.from_status nulls first$$,
    $$values (null::text, 'placed', 'customer'), ('placed', 'accepted', 'system')$$,
    'The history shows the guest''s placement and the system''s acceptance.'
);
select results_eq(
    $$select e.type, e.payload ->> 'status'
    from queue.events as e
    where e.order_id = pg_temp.id('o_a2')
    order by e.id$$,
    $$values ('order.status', 'placed'), ('ticket.created', 'queued'), ('order.status', 'accepted')$$,
    'Its events: placed, the ticket for the kitchen, then accepted.'
);

select * from finish();
rollback;
