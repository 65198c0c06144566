-- Deletes pg_cron run history older than cron_history_keep.
select cron.schedule(
    'purge_cron_history', '47 3 * * *', $$select app_private.purge_cron_history()$$
);
