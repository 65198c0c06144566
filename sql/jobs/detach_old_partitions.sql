-- Detaches partitions past their retention (app_private.retention) into the archive schema.
select cron.schedule(
    'detach_old_partitions', '15 1 * * *', $$select app_private.detach_all_old_partitions()$$
);
