create or replace function queue.complete(id bigint, worker text)
returns boolean
language sql
volatile
set search_path = ''
as $$
    -- Only the lease holder completes: false when the lease was lost (reclaimed, retried).
    with done as (
        update queue.tasks as t
        set
            state = 'done',
            locked_by = null,
            lease_until = null,
            finished_at = pg_catalog.now(),
            updated_at = pg_catalog.now()
        where t.id = complete.id and t.state = 'running' and t.locked_by = complete.worker
        returning t.id
    )

    select exists (select 1 from done)
$$;
comment on function queue.complete(bigint, text) is
'Marks a task done if this worker still holds its lease; false when the lease was lost.';
revoke all on function queue.complete(bigint, text) from public;
grant execute on function queue.complete(bigint, text) to worker;
