-- queue.enqueue: adds a task in the caller's transaction (so a rolled-back change leaves no
-- task), with sane defaults; a dedupe key debounces: while an untried task of that key is
-- pending, enqueueing it again returns that task and creates nothing.
-- (One NOTIFY per transaction is proven in tests/py/test_worker.py, which can LISTEN.)
begin;
select plan(13);
set local search_path = public;
delete from queue.tasks;

create temporary table named (name text primary key, id bigint not null);
grant select, insert on named to worker;

-- As the worker role, the role with the fewest rights that may enqueue (follow-up tasks).
set local role worker;
insert into named (name, id) values ('plain', queue.enqueue('noop'));
reset role;

select results_eq(
    $$select t.type, t.payload, t.restaurant_id, t.priority, t.state, t.attempts, t.max_attempts,
        t.run_at = now(), t.dedupe_key
    from queue.tasks as t inner join named as n on t.id = n.id where n.name = 'plain'$$,
    $$values ('noop', '{}'::jsonb, null::uuid, 0::smallint, 'pending', 0, 10, true, null::text)$$,
    'A task gets an empty payload, no restaurant, priority 0, due now, 10 attempts by default.'
);

-- Rolled back: the task goes with the change it belonged to.
do $$
begin
    perform queue.enqueue('noop', '{"doomed": true}');
    perform 1 / 0;  -- the business change fails after it enqueued
exception
    when division_by_zero then null;
end;
$$;
select is_empty(
    $$select 1 from queue.tasks where payload = '{"doomed": true}'$$,
    'A task enqueued in a transaction that rolls back does not exist.'
);

-- Debounce.
insert into named (name, id) values
('first', queue.enqueue('menu_rebuild', '{"branch_id": "b1"}', dedupe_key => 'menu:b1'));
insert into named (name, id) values
('second', queue.enqueue('menu_rebuild', '{"branch_id": "b1"}', dedupe_key => 'menu:b1'));

select is(
    (
        select n.id from named as n
        where n.name = 'second'
    ),
    (
        select n.id from named as n
        where n.name = 'first'
    ),
    'Enqueueing a key that is pending returns the pending task''s id.'
);
select is(
    (
        select count(*)::integer from queue.tasks
        where dedupe_key = 'menu:b1'
    ),
    1,
    'and creates nothing.'
);

-- Once it runs, the same key makes a new task: the running one may have read old data.
set local role worker;
select queue.claim('w1', 10);
insert into named (name, id) values
('third', queue.enqueue('menu_rebuild', '{"branch_id": "b1"}', dedupe_key => 'menu:b1'));
reset role;
select isnt(
    (
        select n.id from named as n
        where n.name = 'third'
    ),
    (
        select n.id from named as n
        where n.name = 'first'
    ),
    'While the keyed task runs, enqueueing the key again creates a new pending task.'
);

-- The running one fails: it waits out its backoff as a retry, which does not collide with
-- the new task of its key nor capture later enqueues.
set local role worker;
select is(
    queue.fail((
        select n.id from named as n
        where n.name = 'first'
    ), 'w1', 'boom'),
    'pending',
    'A keyed task that fails goes back to pending although another task of its key waits.'
);
insert into named (name, id) values
('fourth', queue.enqueue('menu_rebuild', '{"branch_id": "b1"}', dedupe_key => 'menu:b1'));
reset role;
select is(
    (
        select n.id from named as n
        where n.name = 'fourth'
    ),
    (
        select n.id from named as n
        where n.name = 'third'
    ),
    'The key debounces onto the untried task, not onto the retry waiting out its backoff.'
);

-- Different keys, and tasks without keys, never debounce.
select isnt(
    queue.enqueue('menu_rebuild', '{}', dedupe_key => 'menu:b2'),
    (
        select n.id from named as n
        where n.name = 'third'
    ),
    'Another key is another task.'
);
select isnt(queue.enqueue('noop'), queue.enqueue('noop'), 'Tasks without a key never debounce.');

-- Every parameter lands where it belongs.
insert into named (name, id) values (
    'full',
    queue.enqueue(
        'noop', '{"x": 1}', 'a0000000-0000-7000-8000-000000000001', 3::smallint,
        now() + interval '1 hour', 'k', 2
    )
);
select results_eq(
    $$select t.payload, t.restaurant_id, t.priority, t.run_at - now(), t.dedupe_key,
        t.max_attempts
    from queue.tasks as t inner join named as n on t.id = n.id where n.name = 'full'$$,
    $$values (
        '{"x": 1}'::jsonb, 'a0000000-0000-7000-8000-000000000001'::uuid, 3::smallint,
        interval '1 hour', 'k', 2
    )$$,
    'Payload, restaurant, priority, run_at, dedupe key and max_attempts are stored as given.'
);

select throws_ok(
    $$select queue.enqueue('Not A Type')$$,
    '23514',
    null,
    'A task type must be a lowercase identifier (check_violation).'
);

-- Request roles cannot enqueue: requests reach the queue only through definer code.
set local role customer;
select throws_ok(
    $$select queue.enqueue('noop', '{"from": "customer"}')$$,
    '42501',
    null,
    'A request role cannot call queue.enqueue (insufficient_privilege).'
);
reset role;
select is_empty(
    $$select 1 from queue.tasks where payload = '{"from": "customer"}'$$,
    'The refused enqueue created no task.'
);

select * from finish();
rollback;
