create or replace function queue.metrics()
returns table (
    pending bigint,
    due bigint,
    running bigint,
    dead bigint,
    oldest_pending_seconds double precision
)
language sql
stable
security definer
set search_path = ''
as $$
    -- Cheap enough for every scrape: each count walks one partial index (pending, running,
    -- dead), never the done tasks that wait for their purge.
    select
        p.pending,
        p.due,
        (select count(*) from queue.tasks as t where t.state = 'running') as running,
        (select count(*) from queue.tasks as t where t.state = 'dead') as dead,
        coalesce(extract(epoch from pg_catalog.now() - p.oldest), 0)::double precision
    from (
        select
            count(*) as pending,
            count(*) filter (where t.run_at <= pg_catalog.now()) as due,
            min(t.run_at) filter (where t.run_at <= pg_catalog.now()) as oldest
        from queue.tasks as t
        where t.state = 'pending'
    ) as p
$$;
comment on function queue.metrics() is
'Queue depth, running and dead counts and the oldest due task''s age, for /metrics.';
revoke all on function queue.metrics() from public;
-- Definer: the API login role reads these numbers without any right on queue.tasks.
grant execute on function queue.metrics() to authenticator;
