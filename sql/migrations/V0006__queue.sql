-- The task queue of ARCHITECTURE §7: a SKIP LOCKED queue with priority, run_at, attempts
-- with backoff, a lease (visibility timeout), a dead state and an optional dedupe key.
-- Only functions touch it (sql/functions/queue/*): callers enqueue in their own transaction,
-- the worker role claims, completes and fails through them.

create table queue.tasks (
    id bigint generated always as identity primary key,
    type text not null check (type ~ '^[a-z][a-z0-9_]{0,62}$'),
    payload jsonb not null default '{}',
    -- The tenant the task works for, null for platform-wide work. No foreign key on purpose:
    -- a hot queue row must not take a lock on its restaurant's row at every insert.
    restaurant_id uuid,
    -- Lower runs first (like nice): 0 is normal, negative is urgent, positive is background.
    priority smallint not null default 0,
    run_at timestamptz not null default now(),
    attempts integer not null default 0 check (attempts >= 0),
    max_attempts integer not null default 10 check (max_attempts between 1 and 1000),
    state text not null default 'pending'
    check (state in ('pending', 'running', 'done', 'dead')),
    locked_by text,
    lease_until timestamptz,
    last_error text,
    dedupe_key text check (length(dedupe_key) between 1 and 200),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    finished_at timestamptz,
    constraint tasks_running_has_lease check (
        (state = 'running') = (locked_by is not null and lease_until is not null)
    ),
    constraint tasks_finished_at check ((state in ('done', 'dead')) = (finished_at is not null))
) with (
    -- Why these settings: every task is inserted once and updated two or three times
    -- (claim, heartbeat, complete/fail) within seconds, so the table and its partial indexes
    -- are mostly dead tuples unless vacuum keeps up; a claim that must step over dead index
    -- entries slows down, and with the default settings (20% of the table) a SKIP LOCKED
    -- queue was measured decaying from 1,586 to 649 jobs/s within 20 s, while per-table
    -- aggressive settings held 3,165-8,919 (issue 6). So: vacuum after a fixed number of
    -- dead rows whatever the table's size, never throttle it (the table is small), and keep
    -- room on each page so that a task's next version lands on the same page (and a
    -- heartbeat, which changes no indexed column, can be a HOT update).
    fillfactor = 70,
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_insert_scale_factor = 0,
    autovacuum_vacuum_insert_threshold = 10000,
    autovacuum_analyze_scale_factor = 0,
    autovacuum_analyze_threshold = 5000,
    autovacuum_vacuum_cost_delay = 0
);
comment on table queue.tasks is
'Background work: a SKIP LOCKED queue with priority, leases, backoff, dead state and dedupe.';

-- The claim: pending tasks in the order they are taken (priority, then run_at). State is the
-- partial predicate, not a leading column: it would be the same value in every entry.
create index tasks_claim on queue.tasks (priority, run_at) where state = 'pending';
comment on index queue.tasks_claim is
'The claim scan: pending tasks by priority then run_at; only pending tasks are in it.';

-- Debounce: one pending task per key that has not been tried yet. Not while it runs (it may
-- have read data that changed since), and not a retry waiting out its backoff: a task that
-- fails, is released or loses its lease goes back to pending with attempts > 0, and must
-- neither collide with a newer task of its key nor hold that newer work back for its backoff.
create unique index tasks_dedupe_pending on queue.tasks (dedupe_key)
where state = 'pending' and attempts = 0 and dedupe_key is not null;
comment on index queue.tasks_dedupe_pending is
'At most one untried pending task per dedupe key: enqueueing that key again returns it.';

-- Lease reclaim walks the running tasks only. Not on lease_until: a heartbeat then changes
-- no indexed column and can be a HOT update.
create index tasks_running on queue.tasks (id) where state = 'running';
comment on index queue.tasks_running is
'The running tasks, for lease reclaim and metrics; a few per worker at any time.';

create index tasks_dead on queue.tasks (finished_at) where state = 'dead';
comment on index queue.tasks_dead is
'Dead tasks by when they died: the operators'' list and the metrics, without a table scan.';

-- No request role reads or writes the table: requests reach it through SECURITY DEFINER
-- functions and triggers that run as the owner. The worker claims, completes and fails
-- through invoker functions, so it holds exactly the rights those need, column by column.
grant select on queue.tasks to worker;
grant insert (type, payload, restaurant_id, priority, run_at, max_attempts, dedupe_key)
on queue.tasks to worker;
grant update (
    state, attempts, run_at, locked_by, lease_until, last_error, updated_at, finished_at
) on queue.tasks to worker;

-- For DBAs and `brigade queue status|dead` (the owner; no grant to anyone else).
create view queue.status with (security_invoker = true) as
select
    t.type,
    t.state,
    count(*) as tasks,
    -- How late the oldest runnable task is: pending and due, not yet claimed.
    now() - min(t.run_at) filter (
        where t.state = 'pending' and t.run_at <= now()
    ) as oldest_pending_age,
    max(t.updated_at) as last_change
from queue.tasks as t
group by t.type, t.state;
comment on view queue.status is
'Tasks by type and state, with the age of the oldest due pending task: the queue at a glance.';

create view queue.dead_tasks with (security_invoker = true) as
select
    t.id,
    t.type,
    t.restaurant_id,
    t.attempts,
    t.max_attempts,
    t.last_error,
    t.payload,
    t.dedupe_key,
    t.created_at,
    t.finished_at
from queue.tasks as t
where t.state = 'dead';
comment on view queue.dead_tasks is
'Tasks that failed max_attempts times, with their last error; queue.retry(id) runs one again.';

-- /metrics reads queue depth through queue.metrics() (SECURITY DEFINER) as authenticator.
grant usage on schema queue to authenticator;
