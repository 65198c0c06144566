create or replace function app_private.purge_done_tasks()
returns integer
language sql
volatile
set search_path = ''
as $$
    -- Done tasks only: dead ones stay until an operator retries or deletes them.
    with purged as (
        delete from queue.tasks as t
        where
            t.state = 'done'
            and t.finished_at < pg_catalog.now() - (select app_private.job_setting('done_task_keep'))
        returning 1
    )
    select count(*)::integer from purged
$$;
comment on function app_private.purge_done_tasks() is
'pg_cron job: deletes done queue tasks finished longer ago than job_settings.done_task_keep.';
revoke all on function app_private.purge_done_tasks() from public;
