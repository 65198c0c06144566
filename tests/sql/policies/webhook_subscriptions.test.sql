-- RLS persona matrix of app.webhook_subscriptions: owners and restaurant-wide managers list,
-- subscribe and delete their restaurant's webhooks; branch-scoped managers and other staff see
-- none; nobody reads the encrypted secret; nobody updates a subscription through a grant (the
-- worker's failure count and disabling go through app.record_webhook_delivery).
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/webhooks.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the webhooks',
    'select id from app.webhook_subscriptions',
    '{wh_a1,wh_a2}', '{wh_a1,wh_a2}', '{}', '{}', '{}', '{}',
    '42501', '{wh_b1}', '42501', '42501', null
),
(
    'reads the encrypted secrets',
    'select count(secret) from app.webhook_subscriptions',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{3}'
),
(
    'subscribes a webhook for restaurant A',
    $$insert into app.webhook_subscriptions (restaurant_id, url, event_types, secret)
    values (@r_a, 'https://a.example/new', '{order.ready}', '\x00')
    returning restaurant_id$$,
    '{r_a}', '{r_a}', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'subscribes a webhook for restaurant B',
    $$insert into app.webhook_subscriptions (restaurant_id, url, event_types, secret)
    values (@r_b, 'https://b.example/new', '{order.ready}', '\x00')
    returning restaurant_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '{r_b}', '42501', '42501', null
),
(
    'points webhook A1 at another URL',
    $$update app.webhook_subscriptions set url = 'https://evil.example/' where id = @wh_a1
    returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{wh_a1}'
),
(
    'switches the disabled webhook A2 back on',
    $$update app.webhook_subscriptions
    set active = true, disabled_at = null, failure_count = 0 where id = @wh_a2
    returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{wh_a2}'
),
(
    'deletes webhook A1',
    'delete from app.webhook_subscriptions where id = @wh_a1 returning id',
    '{wh_a1}', '{wh_a1}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'webhook_subscriptions',
    array['select_as_manager', 'insert_as_manager', 'delete_as_manager'],
    'app.webhook_subscriptions has exactly its three policies: read, subscribe and delete, '
    || 'as owner or restaurant-wide manager.'
);

select * from pg_temp.run_matrix('app.webhook_subscriptions');

select * from finish();
rollback;
