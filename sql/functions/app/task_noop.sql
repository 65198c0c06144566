create or replace function app.task_noop(payload jsonb)
returns void
language sql
volatile
set search_path = ''
as $$
    -- Test and benchmark utility: a task that does nothing, to measure the queue itself.
    select
$$;
comment on function app.task_noop(jsonb) is
'Handler of task type noop (tests, benchmarks): does nothing, so only the queue is measured.';
revoke all on function app.task_noop(jsonb) from public;
grant execute on function app.task_noop(jsonb) to worker;
