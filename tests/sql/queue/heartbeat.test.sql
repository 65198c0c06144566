-- queue.heartbeat: the lease holder extends its lease; anyone else gets false.
begin;
select plan(4);
set local search_path = public;
delete from queue.tasks;

create temporary table named (name text primary key, id bigint not null);
grant select on named to worker;
insert into named (name, id) values ('long', queue.enqueue('sleep', '{"seconds": 60}'));
set local role worker;
select queue.claim('w1', 1, 5);

select is(
    (select queue.heartbeat(n.id, 'w1', 120) from named as n),
    true,
    'The holder extends its lease.'
);
reset role;
select is(
    (select t.lease_until - now() from queue.tasks as t inner join named as n on t.id = n.id),
    interval '120 s',
    'The lease now ends lease_seconds from now.'
);

set local role worker;
select is(
    (select queue.heartbeat(n.id, 'w2') from named as n),
    false,
    'Another worker cannot extend a lease it does not hold.'
);
reset role;
select is(
    (select t.lease_until - now() from queue.tasks as t inner join named as n on t.id = n.id),
    interval '120 s',
    'The refused heartbeat left the lease as it was.'
);

select * from finish();
rollback;
