-- api.test_webhook: owners and restaurant-wide managers queue a webhook.test delivery, one
-- attempt, even to a disabled webhook. A definer (the queue is the owner's), so every check
-- RLS would make is spelled out: these cases prove them.
begin;
\ir ../policies/_fixtures/matrix.ddl
\ir ../policies/_fixtures/webhooks.ddl
select plan(9);

create temporary table tasks_before as
select t.id from queue.tasks as t;
create function pg_temp.new_tasks()
returns setof queue.tasks
language sql
as $$
    select t.* from queue.tasks as t
    where t.id not in (select b.id from tasks_before as b)
$$;

select pg_temp.act_as('owner_b');
select throws_ok(
    format('select api.test_webhook(%L)', pg_temp.id('wh_a1')),
    'BR404', 'Webhook not found.',
    'Another restaurant''s webhook is not_found (BR404).'
);
select pg_temp.act_as('waiter_a');
select throws_ok(
    format('select api.test_webhook(%L)', pg_temp.id('wh_a1')),
    'BR404', null,
    'A waiter does not see webhooks: not_found (BR404).'
);
select pg_temp.act_as('manager_a2');
select throws_ok(
    format('select api.test_webhook(%L)', pg_temp.id('wh_a1')),
    'BR404', null,
    'A branch-scoped manager does not see them: not_found (BR404).'
);
select pg_temp.act_as('customer_s1');
select throws_ok(
    format('select api.test_webhook(%L)', pg_temp.id('wh_a1')),
    '42501', null,
    'A customer cannot call it (42501).'
);
select pg_temp.act_as(null);
select is_empty(
    'select * from pg_temp.new_tasks()',
    'After the refused calls no task was queued.'
);

create temporary table answer (body jsonb);
grant insert on answer to staff;
select pg_temp.act_as('owner_a');
insert into answer select api.test_webhook(pg_temp.id('wh_a2'));
select pg_temp.act_as(null);
select is(
    (select body - 'event_id' from answer),
    jsonb_build_object('webhook_id', pg_temp.id('wh_a2'), 'status', 'queued'),
    'The owner queues a test of the disabled webhook A2.'
);
select results_eq(
    $$select t.type, t.restaurant_id, t.max_attempts, t.payload ->> 'subscription_id',
        t.payload -> 'event' ->> 'type', t.payload -> 'event' ->> 'id'
    from pg_temp.new_tasks() as t$$,
    $$select 'webhook', pg_temp.id('r_a'), 1, pg_temp.id('wh_a2')::text, 'webhook.test',
        (select body ->> 'event_id' from answer)$$,
    'One webhook task: the test event, for A, one attempt only.'
);
select is(
    (select t.payload -> 'event' -> 'data' from pg_temp.new_tasks() as t),
    jsonb_build_object('webhook_id', pg_temp.id('wh_a2')),
    'The test event names the webhook it tests.'
);

select pg_temp.act_as('manager_a');
select lives_ok(
    format('select api.test_webhook(%L)', pg_temp.id('wh_a1')),
    'A restaurant-wide manager tests a webhook too.'
);
select pg_temp.act_as(null);

select * from finish();
rollback;
