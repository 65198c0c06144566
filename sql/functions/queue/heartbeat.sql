create or replace function queue.heartbeat(id bigint, worker text, lease_seconds integer default 30)
returns boolean
language sql
volatile
set search_path = ''
as $$
    -- Extends the lease of a long task. Touches no indexed column, so it can be a HOT update.
    with beat as (
        update queue.tasks as t
        set lease_until = pg_catalog.now()
        + pg_catalog.make_interval(secs => greatest(heartbeat.lease_seconds, 1))
        where t.id = heartbeat.id and t.state = 'running' and t.locked_by = heartbeat.worker
        returning t.id
    )

    select exists (select 1 from beat)
$$;
comment on function queue.heartbeat(bigint, text, integer) is
'Extends the lease of a task this worker still holds; false when the lease was lost.';
revoke all on function queue.heartbeat(bigint, text, integer) from public;
grant execute on function queue.heartbeat(bigint, text, integer) to worker;
