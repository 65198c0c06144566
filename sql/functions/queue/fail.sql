create or replace function queue.fail(id bigint, worker text, error text)
returns text
language sql
volatile
set search_path = ''
as $$
    -- Back to pending after a backoff, or dead once max_attempts are spent; either way the
    -- error is kept. Returns the new state, or null when this worker no longer held the lease.
    update queue.tasks as t
    set
        state = case when t.attempts >= t.max_attempts then 'dead' else 'pending' end,
        run_at = case
            when t.attempts >= t.max_attempts then t.run_at
            else pg_catalog.now() + queue.backoff(t.attempts)
        end,
        finished_at = case when t.attempts >= t.max_attempts then pg_catalog.now() end,
        last_error = left(coalesce(fail.error, 'failed without a message'), 8000),
        locked_by = null,
        lease_until = null,
        updated_at = pg_catalog.now()
    where t.id = fail.id and t.state = 'running' and t.locked_by = fail.worker
    returning t.state
$$;
comment on function queue.fail(bigint, text, text) is
'Records a failed attempt: pending again after exponential backoff, or dead after max_attempts.';
revoke all on function queue.fail(bigint, text, text) from public;
grant execute on function queue.fail(bigint, text, text) to worker;
