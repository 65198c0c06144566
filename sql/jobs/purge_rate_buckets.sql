-- Deletes rate-limit buckets untouched for rate_bucket_idle.
select cron.schedule(
    'purge_rate_buckets', '41 4 * * *', $$select app_private.purge_rate_buckets()$$
);
