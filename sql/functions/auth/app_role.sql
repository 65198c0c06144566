create or replace function auth.app_role()
returns text
language sql
stable
set search_path = ''
as $$
    select nullif(auth.claims() ->> 'app_role', '')
$$;
comment on function auth.app_role() is
'Application role (owner, manager, waiter, kitchen, customer, platform_admin); null when anonymous.';
revoke all on function auth.app_role() from public;
grant execute on function auth.app_role() to anon, customer, staff, platform, worker;
