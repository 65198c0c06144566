-- Creates the next months' partitions of every table in app_private.retention;
-- daily, so a missed run heals the next day.
select cron.schedule(
    'create_partitions', '5 0 * * *', $$select app_private.create_all_partitions()$$
);

-- And once now, at every migration: a new partitioned table has its months from day one.
select app_private.create_all_partitions();
