-- Job purge_done_tasks: app_private.purge_done_tasks() deletes done queue tasks finished more
-- than done_task_keep (7 days) ago; dead tasks wait for an operator, pending ones for a worker.
begin;
select plan(4);
set local search_path = public;

select results_eq(
    $$select j.schedule, j.command, j.username from cron.job as j
    where j.jobname = 'purge_done_tasks'$$,
    $$values ('7 * * * *', 'select app_private.purge_done_tasks()', 'brigade_owner')$$,
    'purge_done_tasks runs hourly as brigade_owner.'
);

create temporary table fixture_tasks (key text primary key, id bigint not null);
with made as (
    insert into queue.tasks (type, state, attempts, finished_at, run_at, payload)
    values
    ('noop', 'done', 1, now() - interval '8 days', now() - interval '8 days', '{"k": "gone"}'),
    ('noop', 'done', 1, now() - interval '6 days', now() - interval '6 days', '{"k": "recent"}'),
    ('noop', 'dead', 10, now() - interval '30 days', now() - interval '31 days', '{"k": "dead"}'),
    ('noop', 'pending', 0, null, now() - interval '30 days', '{"k": "pending"}')
    returning id, payload ->> 'k' as key
)

insert into fixture_tasks (key, id)
select
    m.key,
    m.id
from made as m;

set local role brigade_owner;
select is(app_private.purge_done_tasks(), 1, 'The job deletes one task.');
reset role;

select results_eq(
    $$select f.key from fixture_tasks as f
    where exists (select 1 from queue.tasks as t where t.id = f.id) order by f.key$$,
    $$values ('dead'), ('pending'), ('recent')$$,
    'The done task finished 8 days ago is gone; done 6 days ago, dead and pending ones stay.'
);

set local role brigade_owner;
select lives_ok(
    (
        select j.command from cron.job as j
        where j.jobname = 'purge_done_tasks'
    ),
    'The job''s command runs as brigade_owner.'
);
reset role;

select * from finish();
rollback;
