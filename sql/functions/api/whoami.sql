create or replace function api.whoami()
returns jsonb
language sql
stable
set search_path = ''
as $$
    select pg_catalog.jsonb_build_object(
        'db_role', current_user,
        'role', auth.claims() ->> 'role',
        'app_role', auth.app_role(),
        'user_id', auth.user_id(),
        'restaurant_id', auth.restaurant_id(),
        'branch_id', auth.branch_id(),
        'session_id', auth.session_id(),
        'device_id', auth.device_id()
    )
$$;
comment on function api.whoami() is
'The caller as the database sees it: role and claims (used by clients and by the pool tests).';
revoke all on function api.whoami() from public;
grant execute on function api.whoami() to anon, customer, staff, platform;
