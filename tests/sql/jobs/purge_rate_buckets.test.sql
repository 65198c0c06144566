-- Job purge_rate_buckets: app_private.purge_rate_buckets() deletes buckets untouched for
-- rate_bucket_idle (full again by then), and keeps every bucket touched since.
begin;
select plan(3);

select results_eq(
    $$select j.schedule, j.command, j.username from cron.job as j
    where j.jobname = 'purge_rate_buckets'$$,
    $$values ('41 4 * * *', 'select app_private.purge_rate_buckets()', 'brigade_owner')$$,
    'purge_rate_buckets runs daily as brigade_owner.'
);

insert into app_private.rate_buckets (key, tokens, allowed, updated_at) values
('pgtap:idle', 0, false, now() - interval '25 hours'),
('pgtap:recent', 0, false, now() - interval '23 hours'),
('pgtap:now', 3, true, now());

set local role brigade_owner;
select cmp_ok(app_private.purge_rate_buckets(), '>=', 1, 'The job deletes the idle bucket.');
reset role;

select results_eq(
    $$select key from app_private.rate_buckets where key like 'pgtap:%' order by key$$,
    $$values ('pgtap:now'), ('pgtap:recent')$$,
    'Only the bucket idle for more than a day is gone.'
);

select * from finish();
rollback;
