-- The worker's side of a webhook delivery: app.webhook_target (where to, with which secret)
-- and app.record_webhook_delivery (log the attempt, count failures in a row, disable after N).
-- Both are definers granted to the worker role only.
begin;
\ir ../policies/_fixtures/matrix.ddl
\ir ../policies/_fixtures/webhooks.ddl
select plan(19);

-- The target.
select pg_temp.act_as('worker');
select results_eq(
    format(
        $$select url, secret from app.webhook_target(%L, %L, 'menu.changed', 'fixture-key')$$,
        pg_temp.id('r_a'), pg_temp.id('wh_a1')
    ),
    $$values ('https://a.example/menu', 'whsec_a1')$$,
    'The worker gets the URL and the decrypted secret of an active webhook.'
);
select is_empty(
    format(
        $$select * from app.webhook_target(%L, %L, 'order.placed', 'fixture-key')$$,
        pg_temp.id('r_a'), pg_temp.id('wh_a2')
    ),
    'A disabled webhook gets no delivery: no row.'
);
select results_eq(
    format(
        $$select url from app.webhook_target(%L, %L, 'webhook.test', 'fixture-key')$$,
        pg_temp.id('r_a'), pg_temp.id('wh_a2')
    ),
    $$values ('https://a.example/orders')$$,
    'A test is delivered even to a disabled webhook.'
);
select is_empty(
    format(
        $$select * from app.webhook_target(%L, %L, 'menu.changed', 'fixture-key')$$,
        pg_temp.id('r_b'), pg_temp.id('wh_a1')
    ),
    'A webhook is found only under its own restaurant.'
);
select throws_ok(
    format(
        $$select * from app.webhook_target(%L, %L, 'menu.changed', 'wrong-key')$$,
        pg_temp.id('r_a'), pg_temp.id('wh_a1')
    ),
    '39000', null,
    'The wrong key cannot decrypt the secret: the task fails loudly.'
);

-- Attempts: a failure, another, a success (resets the count).
select pg_temp.act_as(null);
create function pg_temp.record(
    hook text, status_code integer, error text, disable_after integer default 3,
    event_type text default 'menu.changed', retryable boolean default true
)
returns text
language sql
as $$
    select app.record_webhook_delivery(
        pg_temp.id(case when hook like 'wh_b%' then 'r_b' else 'r_a' end), pg_temp.id(hook),
        42, 1, pg_temp.id('ev_1'), event_type, status_code, 15, error, disable_after, retryable
    )
$$;
grant execute on function pg_temp.record(text, integer, text, integer, text, boolean) to worker;
select pg_temp.act_as('worker');

select is(pg_temp.record('wh_a1', 503, 'HTTP 503'), 'retry', 'A 503 is retried.');
select is(
    pg_temp.record('wh_a1', null, 'timed out after 10 s'), 'retry', 'A timeout is retried.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select failure_count, active from app.webhook_subscriptions where id = pg_temp.id('wh_a1')$$,
    $$values (2, true)$$,
    'Two failures in a row are counted; the webhook is still active.'
);
select pg_temp.act_as('worker');
select is(pg_temp.record('wh_a1', 204, null), 'delivered', 'A 2xx answer is delivered.');
select pg_temp.act_as(null);
select results_eq(
    $$select failure_count, active from app.webhook_subscriptions where id = pg_temp.id('wh_a1')$$,
    $$values (0, true)$$,
    'A success ends the run of failures.'
);
select results_eq(
    $$select attempt, status_code, duration_ms, error, succeeded, task_id
    from app.webhook_deliveries
    where subscription_id = pg_temp.id('wh_a1') and id <> pg_temp.id('whd_a1') order by id$$,
    $$values
        (1, 503, 15, 'HTTP 503', false, 42::bigint),
        (1, null, 15, 'timed out after 10 s', false, 42::bigint),
        (1, 204, 15, null, true, 42::bigint)$$,
    'Each attempt has its row in the delivery log: status code, duration, error, outcome.'
);

-- Three failures in a row with disable_after = 3: the third disables the webhook.
select pg_temp.act_as('worker');
select is(pg_temp.record('wh_a1', 500, 'HTTP 500'), 'retry', 'First failure: retry.');
select is(pg_temp.record('wh_a1', 500, 'HTTP 500'), 'retry', 'Second failure: retry.');
select is(
    pg_temp.record('wh_a1', 500, 'HTTP 500'), 'stop',
    'The third failure in a row disables the webhook: stop retrying.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select failure_count, active, disabled_at = now()
    from app.webhook_subscriptions where id = pg_temp.id('wh_a1')$$,
    $$values (3, false, true)$$,
    'The webhook is disabled now, with its failure count.'
);

-- A refused target is not retried; a successful test enables the webhook again.
select pg_temp.act_as('worker');
select is(
    pg_temp.record('wh_b1', null, 'refused: 10.0.0.1 is private', 3, 'menu.changed', false),
    'stop',
    'A failure that is not retryable (a refused address) stops at once.'
);
select is(
    pg_temp.record('wh_a1', 200, null, 3, 'webhook.test'), 'delivered',
    'A successful test of the disabled webhook is delivered...'
);
select pg_temp.act_as(null);
select results_eq(
    $$select failure_count, active, disabled_at from app.webhook_subscriptions
    where id = pg_temp.id('wh_a1')$$,
    $$values (0, true, null::timestamptz)$$,
    '...and enables it again.'
);

select pg_temp.act_as('owner_a');
select throws_ok(
    format(
        $$select * from app.webhook_target(%L, %L, 'menu.changed', 'fixture-key')$$,
        pg_temp.id('r_a'), pg_temp.id('wh_a1')
    ),
    '42501', null,
    'A request role cannot read a secret through the worker''s function (42501).'
);
select pg_temp.act_as(null);

select * from finish();
rollback;
