-- queue.metrics (SECURITY DEFINER for /metrics) and the DBA views queue.status and
-- queue.dead_tasks: the figures are right, and only who should read them can.
begin;
select plan(7);
set local search_path = public;
delete from queue.tasks;

select queue.enqueue('noop', run_at => now() - interval '90 s');
select queue.enqueue('noop', run_at => now() - interval '10 s');
select queue.enqueue('noop', run_at => now() + interval '1 hour');
select queue.enqueue('sleep', max_attempts => 1, priority => -1::smallint);
select queue.enqueue('sleep', priority => -1::smallint);
set local role worker;
select queue.claim('w1', 2);
select queue.fail(t.id, 'w1', 'fatal') from queue.tasks as t
where t.type = 'sleep' and t.max_attempts = 1;
reset role;
insert into queue.tasks (type, state, finished_at) values ('noop', 'done', now());

-- As the API's login role, which has no right on queue.tasks.
set local role authenticator;
select results_eq(
    'select pending, due, running, dead, oldest_pending_seconds from queue.metrics()',
    $$values (3::bigint, 2::bigint, 1::bigint, 1::bigint, 90::float8)$$,
    'metrics() counts pending (and due), running and dead tasks and the oldest due age.'
);
select throws_ok(
    'select count(*) from queue.tasks',
    '42501',
    null,
    'authenticator reads the figures, never the tasks.'
);
reset role;

set local role staff;
select throws_ok(
    'select * from queue.metrics()',
    '42501',
    null,
    'A request role cannot call queue.metrics (insufficient_privilege).'
);
reset role;

select results_eq(
    $$select type, state, tasks, oldest_pending_age from queue.status order by type, state$$,
    $$values
        ('noop', 'done', 1::bigint, null::interval),
        ('noop', 'pending', 3::bigint, interval '90 s'),
        ('sleep', 'dead', 1::bigint, null::interval),
        ('sleep', 'running', 1::bigint, null::interval)$$,
    'queue.status counts by type and state, with the oldest due pending task''s age.'
);
select results_eq(
    'select type, attempts, max_attempts, last_error from queue.dead_tasks',
    $$values ('sleep', 1, 1, 'fatal')$$,
    'queue.dead_tasks lists the dead task with its last error.'
);

set local role worker;
select throws_ok(
    'select * from queue.status',
    '42501',
    null,
    'The DBA views are not the worker''s.'
);
reset role;
set local role authenticator;
select throws_ok(
    'select * from queue.dead_tasks',
    '42501',
    null,
    'Nor the API''s: dead tasks carry payloads of every tenant.'
);
reset role;

select * from finish();
rollback;
