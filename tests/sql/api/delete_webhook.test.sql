-- api.delete_webhook: owners and restaurant-wide managers delete a webhook of their restaurant,
-- and its delivery log with it; anything else is not found.
begin;
\ir ../policies/_fixtures/matrix.ddl
\ir ../policies/_fixtures/webhooks.ddl
select plan(8);

select pg_temp.act_as('waiter_a');
select throws_ok(
    format('select api.delete_webhook(%L)', pg_temp.id('wh_a1')),
    'BR404', 'Webhook not found.',
    'A waiter does not see webhooks: not_found (BR404).'
);
select pg_temp.act_as('manager_a1');
select throws_ok(
    format('select api.delete_webhook(%L)', pg_temp.id('wh_a1')),
    'BR404', null,
    'A branch-scoped manager does not see them either: not_found (BR404).'
);
select pg_temp.act_as('owner_b');
select throws_ok(
    format('select api.delete_webhook(%L)', pg_temp.id('wh_a1')),
    'BR404', null,
    'Another restaurant''s webhook is not_found (BR404).'
);
select pg_temp.act_as(null);
select results_eq(
    $$select pg_temp.label(s.id::text) from app.webhook_subscriptions as s
        where pg_temp.ours(s.restaurant_id) order by 1$$,
    $$values ('wh_a1'), ('wh_a2'), ('wh_b1')$$,
    'After the refused calls every webhook is still there.'
);

select pg_temp.act_as('manager_a');
select lives_ok(
    format('select api.delete_webhook(%L)', pg_temp.id('wh_a1')),
    'A restaurant-wide manager deletes a webhook of the restaurant.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select pg_temp.label(s.id::text) from app.webhook_subscriptions as s
        where pg_temp.ours(s.restaurant_id) order by 1$$,
    $$values ('wh_a2'), ('wh_b1')$$,
    'Only that webhook is gone.'
);
select results_eq(
    $$select pg_temp.label(d.id::text) from app.webhook_deliveries as d
        where pg_temp.ours(d.restaurant_id) order by 1$$,
    $$values ('whd_b1')$$,
    'Its delivery log went with it; B''s log is untouched.'
);

select pg_temp.act_as('owner_a');
select throws_ok(
    format('select api.delete_webhook(%L)', pg_temp.id('wh_a1')),
    'BR404', null,
    'Deleting it again is not_found (BR404).'
);
select pg_temp.act_as(null);

select * from finish();
rollback;
