-- The pg_cron schedules of sql/jobs: exactly these jobs, each one SQL function call, all run as
-- the owner role (never a superuser: cron.enable_superuser_jobs is off), all active.
-- Each job's function is tested in the file of the same name.
begin;
select plan(4);
set local search_path = public;

select results_eq(
    $$select j.jobname::text collate "default", j.command from cron.job as j order by j.jobname$$,
    $$values
        ('create_partitions', 'select app_private.create_all_partitions()'),
        ('detach_old_partitions', 'select app_private.detach_all_old_partitions()'),
        ('expire_table_sessions', 'select app_private.expire_table_sessions()'),
        ('purge_activation_codes', 'select app_private.purge_activation_codes()'),
        ('purge_cron_history', 'select app_private.purge_cron_history()'),
        ('purge_done_tasks', 'select app_private.purge_done_tasks()'),
        ('purge_idempotency_keys', 'select app_private.purge_idempotency_keys()'),
        ('purge_rate_buckets', 'select app_private.purge_rate_buckets()'),
        ('purge_refresh_tokens', 'select app_private.purge_refresh_tokens()'),
        ('purge_webhook_deliveries', 'select app_private.purge_webhook_deliveries()'),
        ('reclaim_leases', 'select queue.reclaim_expired()')$$,
    'pg_cron holds exactly the jobs of sql/jobs, each one call of one SQL function.'
);

select is_empty(
    $$select j.jobname from cron.job as j
    where j.username <> 'brigade_owner' or not j.active or j.database <> current_database()$$,
    'Every job is active and runs in this database as brigade_owner.'
);

select is(
    (
        select r.rolsuper or not r.rolbypassrls from pg_catalog.pg_roles as r
        where r.rolname = 'brigade_owner'
    ),
    false,
    'The jobs'' role is not a superuser (it bypasses RLS: jobs work across tenants on purpose).'
);

select is(
    current_setting('cron.enable_superuser_jobs'),
    'off',
    'pg_cron refuses to run jobs as a superuser (cron.enable_superuser_jobs = off).'
);

select * from finish();
rollback;
