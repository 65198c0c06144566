create or replace function queue.claim(worker text, n integer, lease_seconds integer default 30)
returns setof queue.tasks
language plpgsql
volatile
-- Plan stability: the claim must walk the claim index in order and stop after n rows, and
-- the update must find those rows by primary key, whatever the statistics say. Right after
-- a burst of enqueues (statistics still saying "a few pending rows") the planner was
-- measured choosing a sort of every pending task (3 ms per claim instead of 0.05 ms with
-- 10,000 tasks pending) and a hash join over the whole table, so a burst drained in time
-- quadratic in its size. enable_sort = off and `id = any(array(...))` rule both out.
-- PL/pgSQL rather than SQL: the statement's plan is cached for the session instead of
-- being made again at every call (measured: 0.42 ms per claim as SQL, 0.16 ms of it the
-- update itself).
set enable_sort = off
set search_path = ''
as $$
begin
    -- One statement: lock up to n due pending tasks in claim order (priority, then run_at),
    -- skipping rows another claimer holds right now, and lease them to this worker. The
    -- claim counts as an attempt, so a task that kills its worker still reaches max_attempts.
    return query
    update queue.tasks as t
    set
        state = 'running',
        locked_by = claim.worker,
        lease_until = pg_catalog.now()
        + pg_catalog.make_interval(secs => greatest(claim.lease_seconds, 1)),
        attempts = t.attempts + 1,
        updated_at = pg_catalog.now()
    where t.id = any(array(
        select p.id
        from queue.tasks as p
        where p.state = 'pending' and p.run_at <= pg_catalog.now()
        order by p.priority, p.run_at
        limit greatest(claim.n, 0)
        for update skip locked
    ))
    returning t.*;
end;
$$;
comment on function queue.claim(text, integer, integer) is
'Leases up to n due tasks to a worker, highest priority (lowest number) then oldest first.';
revoke all on function queue.claim(text, integer, integer) from public;
grant execute on function queue.claim(text, integer, integer) to worker;
