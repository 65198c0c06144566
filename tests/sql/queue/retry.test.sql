-- queue.retry: operators run a dead task again with fresh attempts; anything not dead is
-- refused with false; a pending task of the same dedupe key makes it redundant (BR409).
begin;
select plan(6);
set local search_path = public;
delete from queue.tasks;

create temporary table named (name text primary key, id bigint not null);
grant select on named to worker, brigade_owner;
insert into named (name, id) values
('doomed', queue.enqueue('noop', max_attempts => 1, dedupe_key => 'k')),
('pending', queue.enqueue('noop', priority => 1::smallint));
set local role worker;
select queue.claim('w1', 1);
select queue.fail((
    select n.id from named as n
    where n.name = 'doomed'
), 'w1', 'gave up');
reset role;

-- Operators: the owner role (and superusers); the worker has no EXECUTE.
set local role worker;
select throws_ok(
    $$select queue.retry(1)$$,
    '42501',
    null,
    'The worker role cannot retry dead tasks (insufficient_privilege): operators do.'
);
reset role;

set local role brigade_owner;
select is(
    (
        select queue.retry(n.id) from named as n
        where n.name = 'pending'
    ),
    false,
    'A task that is not dead is not retried.'
);

-- Another task of the same key is pending: retrying would only duplicate it.
select queue.enqueue('noop', dedupe_key => 'k');
select throws_ok(
    $$select queue.retry((select n.id from named as n where n.name = 'doomed'))$$,
    'BR409',
    'A pending task with the same dedupe key will do this work already.',
    'Retrying while a pending task of the same key waits is refused (already_pending).'
);
delete from queue.tasks
where dedupe_key = 'k' and state = 'pending';

select is(
    (
        select queue.retry(n.id) from named as n
        where n.name = 'doomed'
    ),
    true,
    'A dead task is retried.'
);
reset role;
select results_eq(
    $$select t.state, t.attempts, t.run_at = now(), t.finished_at, t.last_error
    from queue.tasks as t inner join named as n on t.id = n.id where n.name = 'doomed'$$,
    $$values ('pending', 0, true, null::timestamptz, 'gave up')$$,
    'It is pending now with fresh attempts; its last error stays until the next attempt.'
);
select is(
    (select count(*)::integer from queue.dead_tasks),
    0,
    'No dead task is left.'
);

select * from finish();
rollback;
