create or replace function app_private.purge_cron_history()
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_count integer := 0;
begin
    -- pg_cron keeps every run forever (a row every 30 s for the lease reclaim alone).
    -- Where pg_cron is not installed there is nothing to purge.
    if pg_catalog.to_regclass('cron.job_run_details') is null then
        return 0;
    end if;
    execute 'delete from cron.job_run_details where end_time < $1'
    using pg_catalog.now() - app_private.job_setting('cron_history_keep');
    get diagnostics v_count = row_count;
    return v_count;
end;
$$;
comment on function app_private.purge_cron_history() is
'pg_cron job: deletes pg_cron run history older than job_settings.cron_history_keep.';
revoke all on function app_private.purge_cron_history() from public;
