create or replace function app_private.purge_webhook_deliveries()
returns integer
language sql
volatile
set search_path = ''
as $$
    with purged as (
        delete from app.webhook_deliveries as d
        where d.at < pg_catalog.now() - (select app_private.job_setting('webhook_delivery_keep'))
        returning 1
    )
    select count(*)::integer from purged
$$;
comment on function app_private.purge_webhook_deliveries() is
'pg_cron job: deletes webhook delivery log rows older than webhook_delivery_keep.';
revoke all on function app_private.purge_webhook_deliveries() from public;
