-- app_private.emit_webhooks: one 'webhook' task per active subscription of the restaurant to the
-- event type, in the caller's transaction, debounced by a dedupe key; and the catalog trigger
-- function app_private.tg_menu_webhooks that emits a debounced menu.changed.
begin;
\ir ../policies/_fixtures/matrix.ddl
\ir ../policies/_fixtures/webhooks.ddl
select plan(11);

create temporary table tasks_before as select t.id from queue.tasks as t;
grant select on tasks_before to staff;
create function pg_temp.new_tasks()
returns setof queue.tasks
language sql
as $$
    -- Webhook deliveries only: catalog edits also queue menu rebuilds for the worker.
    select t.* from queue.tasks as t
    where t.type = 'webhook' and t.id not in (select b.id from tasks_before as b)
$$;

-- A: wh_a1 (menu.changed, active), wh_a2 (order.placed, disabled), and wh_a3 (order.placed).
insert into pg_temp.fixture_ids (key, id) values ('wh_a3', '01000000-0000-7000-8000-0000000000a3');
insert into app.webhook_subscriptions (restaurant_id, id, url, event_types, secret) values
(pg_temp.id('r_a'), pg_temp.id('wh_a3'), 'https://a.example/3', '{order.placed,menu.changed}', '\x00');

set local role brigade_owner;
select is(
    app_private.emit_webhooks(pg_temp.id('r_a'), 'order.placed', '{"order_id": 7}'), 1,
    'order.placed in A: one delivery (wh_a3; wh_a2 is disabled).'
);
reset role;
select results_eq(
    $$select t.type, t.restaurant_id, pg_temp.label(t.payload ->> 'subscription_id'),
        t.payload -> 'event' ->> 'type', t.payload -> 'event' -> 'data', t.dedupe_key
    from pg_temp.new_tasks() as t$$,
    $$values ('webhook', pg_temp.id('r_a'), 'wh_a3', 'order.placed', '{"order_id": 7}'::jsonb,
        null::text)$$,
    'The task names the subscription and carries the event with its data.'
);
select is(
    (select (t.payload -> 'event') - 'id' - 'created_at' - 'data' from pg_temp.new_tasks() as t),
    jsonb_build_object('type', 'order.placed', 'restaurant_id', pg_temp.id('r_a')),
    'The event says its type and restaurant, besides an id and a time.'
);

delete from queue.tasks
where id in (select t.id from pg_temp.new_tasks() as t);
set local role brigade_owner;
select is(
    app_private.emit_webhooks(pg_temp.id('r_a'), 'menu.changed', '{}', 'menu.changed')
    + app_private.emit_webhooks(pg_temp.id('r_a'), 'menu.changed', '{}', 'menu.changed'),
    4,
    'menu.changed twice in A: each call queues for wh_a1 and wh_a3...'
);
reset role;
select results_eq(
    $$select pg_temp.label(t.payload ->> 'subscription_id'), t.dedupe_key
    from pg_temp.new_tasks() as t order by 1$$,
    format(
        $$values ('wh_a1', 'webhook:%s:menu.changed'), ('wh_a3', 'webhook:%s:menu.changed')$$,
        pg_temp.id('wh_a1'), pg_temp.id('wh_a3')
    ),
    '...but the dedupe key keeps one pending delivery per subscription.'
);
select throws_ok(
    $$select app_private.emit_webhooks(pg_temp.id('r_a'), 'menu.eaten', '{}')$$,
    'BR422', null,
    'An event type no webhook may subscribe to is refused (BR422).'
);
select is(
    app_private.emit_webhooks(pg_temp.id('r_c'), 'menu.changed', '{}'), 0,
    'A restaurant without webhooks queues nothing.'
);

-- The trigger function, attached here to the categories (the catalog's policies files may
-- attach it already): an owner's edit queues menu.changed, though the owner cannot reach
-- the queue.
delete from queue.tasks
where id in (select t.id from pg_temp.new_tasks() as t);
drop trigger if exists _850_menu_webhooks on app.categories;
create trigger _850_menu_webhooks
after insert or update or delete on app.categories
for each row execute function app_private.tg_menu_webhooks();
select pg_temp.act_as('owner_a');
insert into app.categories (restaurant_id, name) values (pg_temp.id('r_a'), 'Desserts');
insert into app.categories (restaurant_id, name) values (pg_temp.id('r_a'), 'Drinks');
select pg_temp.act_as(null);
select results_eq(
    $$select pg_temp.label(t.payload ->> 'subscription_id'), t.payload -> 'event' ->> 'type',
        t.payload -> 'event' -> 'data'
    from pg_temp.new_tasks() as t order by 1$$,
    $$values
        ('wh_a1', 'menu.changed', jsonb_build_object('restaurant_id', pg_temp.id('r_a'))),
        ('wh_a3', 'menu.changed', jsonb_build_object('restaurant_id', pg_temp.id('r_a')))$$,
    'Two category inserts by the owner (who cannot reach the queue) queue one menu.changed '
    || 'per subscription.'
);
select pg_temp.act_as('owner_b');
insert into app.categories (restaurant_id, name) values (pg_temp.id('r_b'), 'Desserts');
select pg_temp.act_as(null);
select is(
    (
        select count(*)::integer from pg_temp.new_tasks() as t
        where t.restaurant_id = pg_temp.id('r_b')
    ),
    1,
    'B''s edit queues B''s delivery (wh_b1), not A''s.'
);
delete from app.webhook_subscriptions
where restaurant_id = pg_temp.id('r_b');
delete from queue.tasks
where id in (select t.id from pg_temp.new_tasks() as t);
select pg_temp.act_as('owner_b');
insert into app.categories (restaurant_id, name) values (pg_temp.id('r_b'), 'Soups');
select pg_temp.act_as(null);
select is_empty(
    'select * from pg_temp.new_tasks()',
    'Without a subscription an edit queues nothing.'
);
select is(
    has_function_privilege('staff', 'app_private.emit_webhooks(uuid, text, jsonb, text)', 'execute'),
    false,
    'Request roles cannot emit webhooks themselves.'
);

select * from finish();
rollback;
