-- RLS persona matrix of app.webhook_deliveries: the delivery log is read by owners and
-- restaurant-wide managers of the restaurant; only the worker writes it (through
-- app.record_webhook_delivery) and pg_cron purges it, so no request role writes a row.
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/webhooks.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the webhook deliveries',
    'select id from app.webhook_deliveries',
    '{whd_a1}', '{whd_a1}', '{}', '{}', '{}', '{}',
    '42501', '{whd_b1}', '42501', '42501', null
),
(
    'logs a delivery of webhook A1',
    $$insert into app.webhook_deliveries (
        restaurant_id, subscription_id, event_id, event_type, attempt, succeeded
    )
    values (@r_a, @wh_a1, @ev_1, 'menu.changed', 2, true)
    returning subscription_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{wh_a1}'
),
(
    'rewrites the failed delivery of B as a success',
    $$update app.webhook_deliveries set succeeded = true, status_code = 200
    where id = @whd_b1 returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{whd_b1}'
),
(
    'deletes the delivery log of A',
    'delete from app.webhook_deliveries where id = @whd_a1 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{whd_a1}'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'webhook_deliveries',
    array['select_as_manager'],
    'app.webhook_deliveries has exactly one policy: read, as owner or restaurant-wide manager.'
);

select * from pg_temp.run_matrix('app.webhook_deliveries');

select * from finish();
rollback;
