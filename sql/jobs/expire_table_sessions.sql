-- Closes table sessions idle longer than job_settings.table_session_idle.
select cron.schedule(
    'expire_table_sessions', '*/10 * * * *', $$select app_private.expire_table_sessions()$$
);
