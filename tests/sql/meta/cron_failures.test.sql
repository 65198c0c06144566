-- meta.cron_failures(): failed pg_cron runs per job over a recent window, read by the API's login
-- role (authenticator, which has no right on the cron tables) for /metrics.
begin;
select plan(6);
set local search_path = public;

create temporary table baseline as
select
    f.jobname,
    f.failures
from meta.cron_failures() as f;

select set_eq(
    'select jobname from baseline',
    'select jobname::text from cron.job',
    'Every scheduled job has a row, failing or not.'
);

-- Runs of purge_done_tasks: failed 10 minutes ago, failed 2 hours ago, succeeded 5 minutes ago.
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
    'select app_private.purge_done_tasks()' as command,
    r.status,
    r.status as return_message,
    now() - r.age as start_time,
    now() - r.age + interval '1 second' as end_time
from (
    values
    ('failed', interval '10 minutes'),
    ('failed', interval '2 hours'),
    ('succeeded', interval '5 minutes')
) as r (status, age);

select is(
    (
        select f.failures from meta.cron_failures() as f
        where f.jobname = 'purge_done_tasks'
    ),
    (
        select b.failures + 1 from baseline as b
        where b.jobname = 'purge_done_tasks'
    ),
    'The failed run of the last hour counts; the one of two hours ago and the success do not.'
);
select is(
    (
        select f.failures from meta.cron_failures(interval '3 hours') as f
        where f.jobname = 'purge_done_tasks'
    ),
    (
        select b.failures + 2 from baseline as b
        where b.jobname = 'purge_done_tasks'
    ),
    'A wider window counts both failures.'
);

set local role authenticator;
select lives_ok(
    'select * from meta.cron_failures()',
    'The API login role reads the figures (through the definer function only).'
);
select throws_ok(
    'select count(*) from cron.job_run_details',
    '42501', null,
    'The API login role cannot read pg_cron''s tables itself.'
);
reset role;

set local role staff;
select throws_ok(
    'select * from meta.cron_failures()',
    '42501', null,
    'A request role cannot call it.'
);
reset role;

select * from finish();
rollback;
