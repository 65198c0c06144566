-- Notifications: app_private.queue_notification writes the outbox row and queues its task in the
-- caller's transaction; the worker reads it while pending (app.notification_to_send) and records
-- the outcome (app.record_notification).
begin;
\ir ../policies/_fixtures/matrix.ddl
\ir ../policies/_fixtures/webhooks.ddl
select plan(11);

create temporary table queued (id uuid);
grant select on queued to worker;
grant insert on queued to brigade_owner;
set local role brigade_owner;
insert into queued
select app_private.queue_notification(
    pg_temp.id('r_a'), 'email', 'guest@example.com', 'Your table', 'It is ready.'
);
reset role;

select results_eq(
    $$select n.channel, n.recipient, n.subject, n.body, n.status, n.sent_at
    from app.notifications as n where n.id = (select q.id from queued as q)$$,
    $$values ('email', 'guest@example.com', 'Your table', 'It is ready.', 'pending',
        null::timestamptz)$$,
    'The message is in the outbox, pending.'
);
select results_eq(
    $$select t.type, t.restaurant_id, t.payload from queue.tasks as t
    where t.payload ->> 'notification_id' = (select q.id::text from queued as q)$$,
    $$select 'notification', pg_temp.id('r_a'),
        jsonb_build_object('restaurant_id', pg_temp.id('r_a'), 'notification_id', q.id)
    from queued as q$$,
    'Its notification task is queued, for A.'
);
select throws_ok(
    $$select app_private.queue_notification(pg_temp.id('r_a'), 'fax', '123', '', 'x')$$,
    '23514', null,
    'An unknown channel is refused by the table (check_violation).'
);

select pg_temp.act_as('worker');
select results_eq(
    $$select * from app.notification_to_send(pg_temp.id('r_a'), (select q.id from queued as q))$$,
    $$values ('email', 'guest@example.com', 'Your table', 'It is ready.')$$,
    'The worker reads the pending message.'
);
select lives_ok(
    $$select app.record_notification(
        pg_temp.id('r_a'), (select q.id from queued as q), 'smtp', 'SMTPServerDisconnected: x'
    )$$,
    'A failed attempt is recorded...'
);
select pg_temp.act_as(null);
select results_eq(
    $$select status, last_error from app.notifications where id = (select q.id from queued as q)$$,
    $$values ('pending', 'SMTPServerDisconnected: x')$$,
    '...with its error; the message stays pending for the next attempt.'
);
select pg_temp.act_as('worker');
select lives_ok(
    $$select app.record_notification(pg_temp.id('r_a'), (select q.id from queued as q), 'table')$$,
    'The next attempt is recorded as sent.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select status, sent_via, sent_at = now(), last_error
    from app.notifications where id = (select q.id from queued as q)$$,
    $$values ('sent', 'table', true, null::text)$$,
    'The message is sent, by the table sender, now.'
);
select pg_temp.act_as('worker');
select is_empty(
    $$select * from app.notification_to_send(pg_temp.id('r_a'), (select q.id from queued as q))$$,
    'A sent message is not handed out again (a task that runs twice sends once).'
);
select lives_ok(
    $$select app.record_notification(
        pg_temp.id('r_b'), pg_temp.id('nt_b1'), 'table', 'gave up', true
    )$$,
    'A last failed attempt is recorded as final...'
);
select pg_temp.act_as(null);
select is(
    (
        select status from app.notifications
        where id = pg_temp.id('nt_b1')
    ),
    'failed',
    '...and the message is failed.'
);

select * from finish();
rollback;
