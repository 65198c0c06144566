-- Deletes order Idempotency-Keys older than idempotency_key_keep.
select cron.schedule(
    'purge_idempotency_keys', '23 * * * *', $$select app_private.purge_idempotency_keys()$$
);
