-- queue.complete: only the worker that holds the lease completes a task; a lost lease
-- answers false and changes nothing.
begin;
select plan(6);
set local search_path = public;
delete from queue.tasks;

create temporary table named (name text primary key, id bigint not null);
grant select on named to worker;
insert into named (name, id) values ('job', queue.enqueue('noop'));

set local role worker;
select queue.claim('w1', 1);

select is(
    (select queue.complete(n.id, 'w2') from named as n),
    false,
    'Another worker cannot complete a task it does not hold.'
);
reset role;
select results_eq(
    'select t.state, t.locked_by from queue.tasks as t inner join named as n on t.id = n.id',
    $$values ('running', 'w1')$$,
    'The refused completion left the task running under its holder.'
);

set local role worker;
select is(
    (select queue.complete(n.id, 'w1') from named as n),
    true,
    'The holder completes its task.'
);
reset role;
select results_eq(
    $$select t.state, t.locked_by, t.lease_until, t.finished_at = now()
    from queue.tasks as t inner join named as n on t.id = n.id$$,
    $$values ('done', null::text, null::timestamptz, true)$$,
    'A done task has no lease and records when it finished.'
);

set local role worker;
select is(
    (select queue.complete(n.id, 'w1') from named as n),
    false,
    'Completing twice answers false the second time.'
);
select is(queue.complete(-1, 'w1'), false, 'An unknown task answers false.');
reset role;

select * from finish();
rollback;
