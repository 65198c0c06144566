-- RLS persona matrix of app.notifications: the outbox is read by owners and restaurant-wide
-- managers of the restaurant; messages are written by app_private.queue_notification and
-- marked by the worker (app.record_notification), so no request role writes a row.
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/webhooks.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the notifications',
    'select id from app.notifications',
    '{nt_a1}', '{nt_a1}', '{}', '{}', '{}', '{}',
    '42501', '{nt_b1}', '42501', '42501', null
),
(
    'writes a message to the outbox of A',
    $$insert into app.notifications (restaurant_id, channel, recipient, body)
    values (@r_a, 'sms', '+15550199', 'Free dessert!') returning restaurant_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{r_a}'
),
(
    'marks the message of A sent',
    $$update app.notifications set status = 'sent', sent_at = now(), sent_via = 'table'
    where id = @nt_a1 returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{nt_a1}'
),
(
    'deletes the message of B',
    'delete from app.notifications where id = @nt_b1 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{nt_b1}'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'notifications',
    array['select_as_manager'],
    'app.notifications has exactly one policy: read, as owner or restaurant-wide manager.'
);

select * from pg_temp.run_matrix('app.notifications');

select * from finish();
rollback;
