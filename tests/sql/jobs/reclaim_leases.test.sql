-- Job reclaim_leases: queue.reclaim_expired() takes back the tasks of a worker that died.
-- pg_cron 1.5+ runs it every 30 seconds; 1.4 (Debian 12) ticks once a minute at most, and the
-- workers reclaim on their own poll in between.
begin;
select plan(4);
set local search_path = public;

select results_eq(
    $$select j.schedule, j.command, j.username from cron.job as j
    where j.jobname = 'reclaim_leases'$$,
    $$select
        case
            when string_to_array(split_part(e.extversion, '-', 1), '.')::integer [] >= array[1, 5]
                then '30 seconds'
            else '* * * * *'
        end,
        'select queue.reclaim_expired()',
        'brigade_owner'
    from pg_extension as e where e.extname = 'pg_cron'$$,
    'reclaim_leases runs queue.reclaim_expired() as brigade_owner, every 30 s where pg_cron '
    || 'can (1.5+), else every minute.'
);

-- A task whose worker died (lease expired), one whose worker is alive, one pending.
create temporary table fixture_tasks (key text primary key, id bigint not null);
with made as (
    insert into queue.tasks (type, state, attempts, locked_by, lease_until, dedupe_key)
    values
    ('noop', 'running', 1, 'dead-worker', now() - interval '1 minute', 'pgtap-reclaim-dead'),
    ('noop', 'running', 1, 'live-worker', now() + interval '1 minute', 'pgtap-reclaim-live'),
    ('noop', 'pending', 0, null, null, 'pgtap-reclaim-pending')
    returning id, dedupe_key
)

insert into fixture_tasks (key, id)
select
    replace(m.dedupe_key, 'pgtap-reclaim-', '') as key,
    m.id
from made as m;

set local role brigade_owner;
select lives_ok(
    (
        select j.command from cron.job as j
        where j.jobname = 'reclaim_leases'
    ),
    'The job''s command runs as brigade_owner.'
);
reset role;

select results_eq(
    $$select f.key, t.state, t.locked_by from fixture_tasks as f
    inner join queue.tasks as t on f.id = t.id order by f.key$$,
    $$values
        ('dead', 'pending', null::text),
        ('live', 'running', 'live-worker'),
        ('pending', 'pending', null::text)$$,
    'The dead worker''s task is pending again; the live worker keeps its task.'
);

select is(
    (
        select t.last_error from queue.tasks as t
        where t.id = (
            select f.id from fixture_tasks as f
            where f.key = 'dead'
        )
    ),
    'lease expired: worker dead-worker stopped renewing it',
    'The reclaimed task says why it was taken back.'
);

select * from finish();
rollback;
