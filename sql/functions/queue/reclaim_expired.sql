create or replace function queue.reclaim_expired()
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_pending integer;
    v_dead integer;
begin
    -- A worker that died mid-task stops renewing its lease: take the task back. It keeps its
    -- place (run_at); the attempt it died in is counted, so a task that kills every worker
    -- that runs it ends up dead instead of circling. Rows being completed right now are
    -- locked and skipped: their worker is alive.
    with expired as (
        select t.id
        from queue.tasks as t
        where t.state = 'running' and t.lease_until < pg_catalog.now()
        for update skip locked
    ),

    moved as (
        update queue.tasks as t
        set
            state = case when t.attempts >= t.max_attempts then 'dead' else 'pending' end,
            finished_at = case when t.attempts >= t.max_attempts then pg_catalog.now() end,
            last_error = 'lease expired: worker ' || t.locked_by || ' stopped renewing it',
            locked_by = null,
            lease_until = null,
            updated_at = pg_catalog.now()
        from expired
        where t.id = expired.id
        returning t.state
    )

    select
        count(*) filter (where moved.state = 'pending'),
        count(*) filter (where moved.state = 'dead')
    into v_pending, v_dead
    from moved;
    if v_pending > 0 then
        perform pg_catalog.pg_notify('queue', '');
    end if;
    return v_pending + v_dead;
end;
$$;
comment on function queue.reclaim_expired() is
'Takes back tasks whose lease expired (their worker died): pending again, or dead if spent.';
revoke all on function queue.reclaim_expired() from public;
-- pg_cron calls it as the owner; workers call it too, so the queue heals without pg_cron.
grant execute on function queue.reclaim_expired() to worker;
