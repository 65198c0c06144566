-- queue.claim: due pending tasks in priority order (lower first), then oldest run_at first;
-- a task due later is not claimed; a claim leases the task and counts an attempt.
-- (Two concurrent claimers never get the same task: tests/py/test_worker.py, two sessions.)
begin;
select plan(12);
set local search_path = public;
delete from queue.tasks;

create temporary table named (name text primary key, id bigint not null);
insert into named (name, id) values
('normal_old', queue.enqueue('noop', '{"n": 1}', null, 0::smallint, now() - interval '2 min')),
('normal_new', queue.enqueue('noop', '{"n": 2}', null, 0::smallint, now() - interval '1 min')),
('urgent_new', queue.enqueue('noop', '{"n": 3}', null, -5::smallint, now() - interval '1 s')),
('background', queue.enqueue('noop', '{"n": 4}', null, 9::smallint, now() - interval '1 hour')),
('future', queue.enqueue('noop', '{"n": 5}', null, -9::smallint, now() + interval '1 min'));
grant select on named to worker;

set local role worker;

select is(
    (select c.id from queue.claim('w1', 1) as c),
    (
        select n.id from named as n
        where n.name = 'urgent_new'
    ),
    'The lowest priority number is claimed first, even when it is the newest.'
);

select is(
    (select c.id from queue.claim('w2', 1) as c),
    (
        select n.id from named as n
        where n.name = 'normal_old'
    ),
    'Within a priority the oldest run_at is claimed first.'
);

select results_eq(
    'select c.id from queue.claim(''w1'', 10) as c order by c.id',
    $$select n.id from named as n where n.name in ('normal_new', 'background') order by n.id$$,
    'A claim takes up to n due tasks, and never a task due later, whatever its priority.'
);

select is_empty(
    'select * from queue.claim(''w3'', 10)',
    'Nothing due is left: an empty claim returns no row.'
);

reset role;

select results_eq(
    $$select t.state, t.locked_by, t.attempts from queue.tasks as t
    inner join named as n on t.id = n.id where n.name = 'normal_old'$$,
    $$values ('running', 'w2', 1)$$,
    'A claimed task is running, leased to its claimer, with the attempt counted.'
);

select ok(
    (
        select t.lease_until = now() + interval '30 s'
        from queue.tasks as t
        inner join named as n on t.id = n.id
        where n.name = 'normal_old'
    ),
    'The lease lasts 30 seconds by default.'
);

select is(
    (
        select t.state from queue.tasks as t inner join named as n on t.id = n.id
        where n.name = 'future'
    ),
    'pending',
    'The task due later is still pending.'
);

-- The lease length is the caller's; a claimed task is not claimed again while it runs.
update queue.tasks set run_at = now() - interval '1 s'
where id = (
    select n.id from named as n
    where n.name = 'future'
);
set local role worker;
select is(
    (select c.lease_until - now() from queue.claim('w4', 5, 7) as c),
    interval '7 s',
    'A claim leases for lease_seconds; only the task that became due is claimed.'
);
reset role;

-- The claim index serves the claim; only pending tasks are in it.
select ok(
    (
        select pg_catalog.pg_get_indexdef(i.indexrelid) like '%(priority, run_at) WHERE (state = ''pending''::text)'
        from pg_catalog.pg_index as i
        where i.indexrelid = 'queue.tasks_claim'::regclass
    ),
    'The claim index is (priority, run_at), partial on pending.'
);

-- Request roles cannot claim, nor read the queue.
set local role staff;
select throws_ok(
    'select * from queue.claim(''intruder'', 1)',
    '42501',
    null,
    'A request role cannot claim tasks (insufficient_privilege).'
);
select throws_ok(
    'select count(*) from queue.tasks',
    '42501',
    null,
    'A request role cannot read queue.tasks (insufficient_privilege).'
);
reset role;

select is(
    (
        select count(*)::integer from queue.tasks
        where state = 'running'
    ),
    5,
    'After the refused calls the five claimed tasks are still the only running ones.'
);

select * from finish();
rollback;
