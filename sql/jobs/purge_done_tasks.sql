-- Purges done queue tasks finished longer than done_task_keep ago (hourly: small batches).
select cron.schedule(
    'purge_done_tasks', '7 * * * *', $$select app_private.purge_done_tasks()$$
);
