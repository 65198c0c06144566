create or replace function app_private.expire_table_sessions()
returns integer
language sql
volatile
set search_path = ''
as $$
    -- Idle: no order or addition (last_activity_at, set when opened) for longer than the
    -- setting. closed_at set means auth.assert_active() refuses the session's customer tokens
    -- from the next request on.
    with closed as (
        update app.table_sessions as s
        set closed_at = pg_catalog.now()
        where
            s.closed_at is null
            and s.last_activity_at < pg_catalog.now() - (select app_private.job_setting('table_session_idle'))
        returning 1
    )
    select count(*)::integer from closed
$$;
comment on function app_private.expire_table_sessions() is
'pg_cron job: closes table sessions idle longer than job_settings.table_session_idle.';
revoke all on function app_private.expire_table_sessions() from public;
