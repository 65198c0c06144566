create or replace function auth.claims()
returns jsonb
language sql
stable
set search_path = ''
as $$
    select coalesce(
        nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb,
        '{}'::jsonb
    )
$$;
comment on function auth.claims() is
'Verified claims of the current request; empty (no tenant, no user) when none are set.';
revoke all on function auth.claims() from public;
grant execute on function auth.claims() to anon, customer, staff, platform, worker;
