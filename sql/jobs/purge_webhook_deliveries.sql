-- Deletes webhook delivery log rows older than webhook_delivery_keep.
select cron.schedule(
    'purge_webhook_deliveries', '37 3 * * *', $$select app_private.purge_webhook_deliveries()$$
);
