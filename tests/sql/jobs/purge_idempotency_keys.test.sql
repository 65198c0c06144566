-- Job purge_idempotency_keys: app_private.purge_idempotency_keys() deletes order
-- Idempotency-Keys past idempotency_key_keep (24 h); younger ones still answer repeats.
begin;
\ir ../policies/_fixtures/matrix.ddl
select plan(3);

select results_eq(
    $$select j.schedule, j.command, j.username from cron.job as j
    where j.jobname = 'purge_idempotency_keys'$$,
    $$values ('23 * * * *', 'select app_private.purge_idempotency_keys()', 'brigade_owner')$$,
    'purge_idempotency_keys runs hourly as brigade_owner.'
);

insert into app_private.idempotency_keys (
    restaurant_id, principal, key, request_hash, order_id, created_at
) values
(pg_temp.id('r_a'), pg_temp.id('u_owner_a'), 'pgtap-old', '\x00', gen_random_uuid(), now() - interval '25 hours'),
(pg_temp.id('r_a'), pg_temp.id('u_owner_a'), 'pgtap-young', '\x00', gen_random_uuid(), now() - interval '23 hours');

set local role brigade_owner;
select cmp_ok(app_private.purge_idempotency_keys(), '>=', 1, 'The job deletes the old key.');
reset role;

select results_eq(
    $$select key from app_private.idempotency_keys where key like 'pgtap-%' order by key$$,
    $$values ('pgtap-young')$$,
    'Only the key older than 24 hours is gone.'
);

select * from finish();
rollback;
