-- queue.complete_all: completes a batch in the handlers' transaction, or raises
-- lease_lost (BR409) so that the handlers' work rolls back with it.
begin;
select plan(5);
set local search_path = public;
delete from queue.tasks;

create temporary table named (name text primary key, id bigint not null);
grant select on named to worker;
insert into named (name, id) values
('a', queue.enqueue('noop')),
('b', queue.enqueue('noop')),
('c', queue.enqueue('noop', priority => 1::smallint));

set local role worker;
select queue.claim('w1', 2);
select queue.claim('w2', 1);

select throws_ok(
    $$select queue.complete_all(array(select n.id from named as n), 'w1')$$,
    'BR409',
    'The worker lost the lease of a task it was completing.',
    'A batch with a task held by another worker raises lease_lost (BR409).'
);
reset role;
select is(
    (
        select count(*)::integer from queue.tasks
        where state = 'running'
    ),
    3,
    'After the refusal nothing was completed: all three tasks still run.'
);

set local role worker;
select is(
    queue.complete_all(
        array(
            select n.id from named as n
            where n.name in ('a', 'b')) || array[
            (
                select n.id from named as n
                where n.name = 'a'
            )
        ],
        'w1'
    ),
    2,
    'The holder completes its whole batch (a repeated id counts once).'
);
reset role;
select results_eq(
    'select t.state from queue.tasks as t inner join named as n on t.id = n.id order by n.name',
    $$values ('done'), ('done'), ('running')$$,
    'Exactly the batch is done; the other worker''s task still runs.'
);

-- Inside a transaction whose work must not survive a lost lease ('c' is w2's).
create temporary table handler_work (n integer);
grant insert on handler_work to worker;
do $$
begin
    set local role worker;
    insert into handler_work values (1);
    perform queue.complete_all(array(select n.id from named as n where n.name = 'c'), 'w1');
exception
    when sqlstate 'BR409' then
        reset role;
end;
$$;
reset role;
select is_empty(
    'select * from handler_work',
    'The handlers'' work in the same transaction rolls back with the refused completion.'
);

select * from finish();
rollback;
