create or replace function app_private.purge_activation_codes()
returns integer
language sql
volatile
set search_path = ''
as $$
    -- An unused code past expires_at is already refused when presented; this deletes it
    -- activation_code_keep later. Used codes stay: they record who activated what.
    with onboarding as (
        delete from app.onboarding_codes as c
        where
            c.used_at is null
            and c.expires_at < pg_catalog.now() - (select app_private.job_setting('activation_code_keep'))
        returning 1
    ),

    device as (
        delete from app.device_codes as c
        where
            c.used_at is null
            and c.expires_at < pg_catalog.now() - (select app_private.job_setting('activation_code_keep'))
        returning 1
    )

    select ((select count(*) from onboarding) + (select count(*) from device))::integer
$$;
comment on function app_private.purge_activation_codes() is
'pg_cron job: deletes unused onboarding and device codes expired longer than activation_code_keep.';
revoke all on function app_private.purge_activation_codes() from public;
