-- Takes back tasks whose worker died (lease expired), so another worker runs them.
-- pg_cron reads seconds schedules from 1.5 on; 1.4 (Debian 12's package) ticks at most once a
-- minute, and the workers reclaim expired leases themselves in between (queue.reclaim_expired).
select cron.schedule(
    'reclaim_leases',
    case
        when (
            select
                pg_catalog.string_to_array(
                    pg_catalog.split_part(e.extversion, '-', 1), '.'
                )::integer[] >= array[1, 5]
            from pg_catalog.pg_extension as e
            where e.extname = 'pg_cron'
        ) then '30 seconds'
        else '* * * * *'
    end,
    $$select queue.reclaim_expired()$$
);
