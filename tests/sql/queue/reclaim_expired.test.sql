-- queue.reclaim_expired: a task whose lease expired (its worker died) goes back to pending
-- (or dead when its attempts are spent); live leases are left alone.
begin;
select plan(6);
set local search_path = public;
delete from queue.tasks;

create temporary table named (name text primary key, id bigint not null);
grant select on named to worker;
insert into named (name, id) values
('orphan', queue.enqueue('sleep', '{"seconds": 60}', run_at => now() - interval '1 min')),
('alive', queue.enqueue('sleep', '{"seconds": 60}')),
('spent', queue.enqueue('sleep', '{"seconds": 60}', max_attempts => 1));
set local role worker;
select queue.claim('dead-worker', 3);
reset role;

-- Time passes for two of them (now() is fixed inside a transaction: move the leases).
update queue.tasks set lease_until = now() - interval '1 s'
where id in (
    select n.id from named as n
    where n.name in ('orphan', 'spent')
);

set local role worker;
select is(queue.reclaim_expired(), 2, 'Two expired leases are taken back.');
reset role;

select results_eq(
    $$select t.state, t.locked_by, t.lease_until, t.attempts, t.run_at = now() - interval '1 min',
        t.last_error
    from queue.tasks as t inner join named as n on t.id = n.id where n.name = 'orphan'$$,
    $$values ('pending', null::text, null::timestamptz, 1, true,
        'lease expired: worker dead-worker stopped renewing it')$$,
    'An orphan is pending again in its old place, with the attempt counted and the reason.'
);
select results_eq(
    $$select t.state, t.finished_at = now()
    from queue.tasks as t inner join named as n on t.id = n.id where n.name = 'spent'$$,
    $$values ('dead', true)$$,
    'A task whose last attempt died with its worker is dead, not retried for ever.'
);
select results_eq(
    $$select t.state, t.locked_by
    from queue.tasks as t inner join named as n on t.id = n.id where n.name = 'alive'$$,
    $$values ('running', 'dead-worker')$$,
    'A live lease is left alone.'
);

set local role worker;
select is(
    (select c.id from queue.claim('w2', 5) as c),
    (
        select n.id from named as n
        where n.name = 'orphan'
    ),
    'Another worker claims the orphan.'
);
select is(queue.reclaim_expired(), 0, 'Nothing else has expired.');
reset role;

select * from finish();
rollback;
