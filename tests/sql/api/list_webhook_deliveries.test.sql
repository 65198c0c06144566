-- api.list_webhook_deliveries: the delivery log of a webhook, newest first, a page at a time,
-- for owners and restaurant-wide managers of its restaurant.
begin;
\ir ../policies/_fixtures/matrix.ddl
\ir ../policies/_fixtures/webhooks.ddl
select plan(7);

-- Two more attempts of wh_a1, later than whd_a1 (ids are time-ordered).
insert into pg_temp.fixture_ids (key, id) values
('whd_a1_2', '01000000-0000-7000-8000-0000000001a2'),
('whd_a1_3', '01000000-0000-7000-8000-0000000001a3');
insert into app.webhook_deliveries (
    restaurant_id, id, subscription_id, event_id, event_type, attempt, status_code, error,
    succeeded
) values
(
    pg_temp.id('r_a'), pg_temp.id('whd_a1_2'), pg_temp.id('wh_a1'), pg_temp.id('ev_1'),
    'menu.changed', 1, 503, 'HTTP 503', false
),
(
    pg_temp.id('r_a'), pg_temp.id('whd_a1_3'), pg_temp.id('wh_a1'), pg_temp.id('ev_1'),
    'menu.changed', 2, 200, null, true
);

select pg_temp.act_as('owner_a');
select is(
    (
        select array_agg(pg_temp.label(i ->> 'id'))
        from jsonb_array_elements(
            api.list_webhook_deliveries(pg_temp.id('wh_a1')) -> 'items'
        ) as i
    ),
    array['whd_a1_3', 'whd_a1_2', 'whd_a1'],
    'The owner reads the log of webhook A1, newest first.'
);
select is(
    (api.list_webhook_deliveries(pg_temp.id('wh_a1')) -> 'items' -> 1) - 'id' - 'at',
    jsonb_build_object(
        'webhook_id', pg_temp.id('wh_a1'), 'event_id', pg_temp.id('ev_1'),
        'event_type', 'menu.changed', 'attempt', 1, 'status_code', 503, 'duration_ms', null,
        'error', 'HTTP 503', 'succeeded', false
    ),
    'An entry says which event, which attempt, the status code, the error and the outcome.'
);
select is(
    pg_temp.label(
        api.list_webhook_deliveries(pg_temp.id('wh_a1'), 2, pg_temp.id('whd_a1_2'))
        -> 'items' -> 0 ->> 'id'
    ),
    'whd_a1',
    'The next page starts after the cursor, going back in time.'
);
select is(
    jsonb_array_length(api.list_webhook_deliveries(pg_temp.id('wh_a2')) -> 'items'),
    0,
    'A webhook that was never delivered has an empty log.'
);

select pg_temp.act_as('owner_b');
select throws_ok(
    format('select api.list_webhook_deliveries(%L)', pg_temp.id('wh_a1')),
    'BR404', 'Webhook not found.',
    'Another restaurant''s webhook is not_found (BR404).'
);
select pg_temp.act_as('waiter_a');
select throws_ok(
    format('select api.list_webhook_deliveries(%L)', pg_temp.id('wh_a1')),
    'BR404', null,
    'A waiter does not see webhooks: not_found (BR404).'
);
select pg_temp.act_as('manager_a');
select is(
    jsonb_array_length(api.list_webhook_deliveries(pg_temp.id('wh_a1')) -> 'items'),
    3,
    'A restaurant-wide manager reads the log too.'
);
select pg_temp.act_as(null);

select * from finish();
rollback;
