create or replace function app_private.purge_idempotency_keys()
returns integer
language sql
volatile
set search_path = ''
as $$
    -- Past their window a key no longer answers (place_order replaces it), so it can go.
    with purged as (
        delete from app_private.idempotency_keys as k
        where k.created_at < pg_catalog.now() - (select app_private.job_setting('idempotency_key_keep'))
        returning 1
    )
    select count(*)::integer from purged
$$;
comment on function app_private.purge_idempotency_keys() is
'pg_cron job: deletes order Idempotency-Keys older than idempotency_key_keep.';
revoke all on function app_private.purge_idempotency_keys() from public;
