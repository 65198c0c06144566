create or replace function app_private.purge_refresh_tokens()
returns integer
language sql
volatile
set search_path = ''
as $$
    -- Only tokens that can no longer be used or replayed: expired, used or revoked, and that
    -- long ago. (A used token still within its life is kept: its reuse revokes its family.)
    with purged as (
        delete from app_private.refresh_tokens as t
        where
            t.expires_at < pg_catalog.now() - (select app_private.job_setting('refresh_token_keep'))
            or (
                coalesce(t.used_at, t.revoked_at)
                < pg_catalog.now() - (select app_private.job_setting('refresh_token_keep'))
                and t.expires_at < pg_catalog.now()
            )
        returning 1
    )
    select count(*)::integer from purged
$$;
comment on function app_private.purge_refresh_tokens() is
'pg_cron job: deletes expired, used and revoked refresh tokens older than refresh_token_keep.';
revoke all on function app_private.purge_refresh_tokens() from public;
