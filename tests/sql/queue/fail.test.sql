-- queue.fail and queue.backoff: a failed attempt goes back to pending after an exponential
-- backoff with jitter (the k-th failure waits between d/2 and d, d = min(3600, 2 * 2^(k-1))
-- seconds), keeping its error; after max_attempts the task is dead, its error kept.
begin;
select plan(11);
set local search_path = public;
delete from queue.tasks;

-- The schedule: 200 draws for each of the first 15 attempts stay inside their bounds, and
-- the jitter really spreads them (not one constant).
create temporary view backoff_draws as
select
    k.attempt,
    least(3600, 2 * power(2, k.attempt - 1)) as ceiling,
    extract(epoch from queue.backoff(k.attempt)) as seconds
from generate_series(1, 15) as k (attempt)
cross join generate_series(1, 200) as draw (n);

create temporary table draws as select * from backoff_draws;

select is_empty(
    'select * from draws where seconds < ceiling / 2 or seconds > ceiling',
    'Every backoff lies between half and all of min(1 h, 2 s * 2^(attempt - 1)).'
);
select results_eq(
    $$select attempt, ceiling from draws where attempt in (1, 2, 3, 11, 12, 15)
    group by attempt, ceiling order by attempt$$,
    $$values (1, 2::float8), (2, 4), (3, 8), (11, 2048), (12, 3600), (15, 3600)$$,
    'The ceiling doubles from 2 s and is capped at one hour from the 12th attempt on.'
);
select ok(
    (select bool_and(spread > ceiling / 4) from (
        select
            attempt,
            ceiling,
            max(seconds) - min(seconds) as spread
        from draws
        group by attempt, ceiling
    ) as s),
    'The jitter spreads the delays over the upper half of the range.'
);
select is(
    extract(epoch from queue.backoff(1000)) <= 3600,
    true,
    'A huge attempt count neither overflows nor exceeds the cap.'
);

-- A failing task: pending again, later, with its error.
create temporary table named (name text primary key, id bigint not null);
grant select on named to worker;
insert into named (name, id) values
('flaky', queue.enqueue('noop', max_attempts => 3)),
('other', queue.enqueue('noop', priority => 5::smallint));

set local role worker;
select queue.claim('w1', 1);
reset role;

select is(
    (
        select queue.fail(n.id, 'w2', 'not mine') from named as n
        where n.name = 'flaky'
    ),
    null,
    'A worker that does not hold the lease cannot fail the task: null, nothing changes.'
);

set local role worker;
select is(
    (
        select queue.fail(n.id, 'w1', 'timeout talking to the printer') from named as n
        where n.name = 'flaky'
    ),
    'pending',
    'A first failure sends the task back to pending.'
);
reset role;

select results_eq(
    $$select t.state, t.attempts, t.locked_by, t.lease_until, t.last_error, t.finished_at,
        t.run_at - now() between interval '1 s' and interval '2 s'
    from queue.tasks as t inner join named as n on t.id = n.id where n.name = 'flaky'$$,
    $$values ('pending', 1, null::text, null::timestamptz, 'timeout talking to the printer',
        null::timestamptz, true)$$,
    'It keeps its error, loses its lease, and waits 1-2 s (the first backoff).'
);

-- Second and third attempts: the third failure is the last.
update queue.tasks set run_at = now() - interval '1 s';
set local role worker;
select queue.claim('w1', 1);
select queue.fail((
    select n.id from named as n
    where n.name = 'flaky'
), 'w1', 'second');
reset role;
select ok(
    (
        select t.run_at - now() between interval '2 s' and interval '4 s'
        from queue.tasks as t inner join named as n on t.id = n.id
        where n.name = 'flaky'
    ),
    'The second failure waits 2-4 s.'
);

update queue.tasks set run_at = now() - interval '1 s';
set local role worker;
select queue.claim('w1', 1);
select is(
    queue.fail((
        select n.id from named as n
        where n.name = 'flaky'
    ), 'w1', 'third and last'),
    'dead',
    'The failure of the last allowed attempt makes the task dead.'
);
reset role;

select results_eq(
    $$select t.state, t.attempts, t.last_error, t.finished_at = now(), t.locked_by
    from queue.tasks as t inner join named as n on t.id = n.id where n.name = 'flaky'$$,
    $$values ('dead', 3, 'third and last', true, null::text)$$,
    'A dead task keeps its last error and when it died.'
);

set local role worker;
select is_empty(
    $$select c.id from queue.claim('w1', 10) as c
    inner join named as n on c.id = n.id where n.name = 'flaky'$$,
    'A dead task is never claimed again.'
);
reset role;

select * from finish();
rollback;
