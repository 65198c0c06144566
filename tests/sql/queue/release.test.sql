-- queue.release: a stopping worker hands a claimed task back: pending at once, in its old
-- place, the attempt of the claim still counted.
begin;
select plan(4);
set local search_path = public;
delete from queue.tasks;

create temporary table named (name text primary key, id bigint not null);
grant select on named to worker;
insert into named (name, id) values ('job', queue.enqueue('noop', run_at => now() - interval '1 min'));
set local role worker;
select queue.claim('w1', 1);

select is(
    (select queue.release(n.id, 'w2') from named as n),
    false,
    'Another worker cannot release a task it does not hold.'
);
select is(
    (select queue.release(n.id, 'w1') from named as n),
    true,
    'The holder releases its task.'
);
reset role;
select results_eq(
    $$select t.state, t.locked_by, t.lease_until, t.attempts, t.run_at = now() - interval '1 min'
    from queue.tasks as t inner join named as n on t.id = n.id$$,
    $$values ('pending', null::text, null::timestamptz, 1, true)$$,
    'A released task is pending with its run_at unchanged and the claimed attempt counted.'
);
set local role worker;
select is(
    (select c.locked_by from queue.claim('w2', 1) as c),
    'w2',
    'Another worker can claim it at once.'
);
reset role;

select * from finish();
rollback;
