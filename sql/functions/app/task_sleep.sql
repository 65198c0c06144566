create or replace function app.task_sleep(payload jsonb)
returns void
language sql
volatile
set search_path = ''
as $$
    -- Test utility: a long task (payload {"seconds": n}, at most 300) for leases,
    -- heartbeats and shutdown tests.
    select pg_catalog.pg_sleep(
        least(greatest(coalesce((task_sleep.payload ->> 'seconds')::double precision, 0), 0), 300)
    )
$$;
comment on function app.task_sleep(jsonb) is
'Handler of task type sleep (tests): sleeps payload.seconds (at most 300) inside the database.';
revoke all on function app.task_sleep(jsonb) from public;
grant execute on function app.task_sleep(jsonb) to worker;
