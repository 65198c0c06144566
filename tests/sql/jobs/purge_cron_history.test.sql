-- Job purge_cron_history: app_private.purge_cron_history() deletes pg_cron's run history older
-- than cron_history_keep (7 days): pg_cron keeps every run forever otherwise.
begin;
select plan(4);
set local search_path = public;

select results_eq(
    $$select j.schedule, j.command, j.username from cron.job as j
    where j.jobname = 'purge_cron_history'$$,
    $$values ('47 3 * * *', 'select app_private.purge_cron_history()', 'brigade_owner')$$,
    'purge_cron_history runs daily as brigade_owner.'
);

create temporary table fixture_runs (key text primary key, runid bigint not null);
with made as (
    insert into cron.job_run_details (
        jobid, job_pid, database, username, command, status, return_message, start_time, end_time
    )
    select
        (
            select j.jobid from cron.job as j
            where j.jobname = 'purge_done_tasks'
        ) as jobid,
        1 as job_pid,
        current_database() as database,
        'brigade_owner' as username,
        'select 1' as command,
        'succeeded' as status,
        r.key as return_message,
        now() - r.age - interval '1 second' as start_time,
        now() - r.age as end_time
    from (values ('old', interval '8 days'), ('recent', interval '6 days')) as r (key, age)
    returning runid, return_message as key
)

insert into fixture_runs (key, runid)
select
    m.key,
    m.runid
from made as m;

set local role brigade_owner;
select cmp_ok(app_private.purge_cron_history(), '>=', 1, 'The job deletes old runs.');
reset role;

select results_eq(
    $$select f.key from fixture_runs as f
    where exists (select 1 from cron.job_run_details as r where r.runid = f.runid)$$,
    $$values ('recent')$$,
    'The run of 8 days ago is gone; the run of 6 days ago stays.'
);

set local role brigade_owner;
select lives_ok(
    (
        select j.command from cron.job as j
        where j.jobname = 'purge_cron_history'
    ),
    'The job''s command runs as brigade_owner.'
);
reset role;

select * from finish();
rollback;
