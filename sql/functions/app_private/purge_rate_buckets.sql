create or replace function app_private.purge_rate_buckets()
returns integer
language sql
volatile
set search_path = ''
as $$
    -- A bucket idle that long has refilled: deleting it changes no decision, and unknown
    -- e-mails or addresses no longer grow the table for ever.
    with purged as (
        delete from app_private.rate_buckets as b
        where b.updated_at < pg_catalog.now() - (select app_private.job_setting('rate_bucket_idle'))
        returning 1
    )
    select count(*)::integer from purged
$$;
comment on function app_private.purge_rate_buckets() is
'pg_cron job: deletes rate-limit buckets untouched for rate_bucket_idle (they are full again).';
revoke all on function app_private.purge_rate_buckets() from public;
