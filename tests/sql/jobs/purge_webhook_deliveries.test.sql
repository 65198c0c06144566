-- Job purge_webhook_deliveries: app_private.purge_webhook_deliveries() deletes delivery log rows
-- older than webhook_delivery_keep (30 days).
begin;
\ir ../policies/_fixtures/matrix.ddl
\ir ../policies/_fixtures/webhooks.ddl
select plan(4);

select results_eq(
    $$select j.schedule, j.command, j.username from cron.job as j
    where j.jobname = 'purge_webhook_deliveries'$$,
    $$values ('37 3 * * *', 'select app_private.purge_webhook_deliveries()', 'brigade_owner')$$,
    'purge_webhook_deliveries runs daily as brigade_owner.'
);

insert into pg_temp.fixture_ids (key) values ('whd_old');
insert into app.webhook_deliveries (
    restaurant_id, id, subscription_id, event_id, event_type, attempt, succeeded, at
) values (
    pg_temp.id('r_a'), pg_temp.id('whd_old'), pg_temp.id('wh_a1'), pg_temp.id('ev_1'),
    'menu.changed', 1, true, now() - interval '31 days'
);

set local role brigade_owner;
select is(app_private.purge_webhook_deliveries(), 1, 'The job deletes one delivery row.');
reset role;

select results_eq(
    $$select pg_temp.label(d.id::text) from app.webhook_deliveries as d
        where pg_temp.ours(d.restaurant_id) order by 1$$,
    $$values ('whd_a1'), ('whd_b1')$$,
    'The row of 31 days ago is gone; today''s rows stay.'
);

set local role brigade_owner;
select lives_ok(
    (
        select j.command from cron.job as j
        where j.jobname = 'purge_webhook_deliveries'
    ),
    'The job''s command runs as brigade_owner.'
);
reset role;

select * from finish();
rollback;
