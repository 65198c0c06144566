create or replace function auth.user_id()
returns uuid
language sql
stable
set search_path = ''
as $$
    select nullif(auth.claims() ->> 'sub', '')::uuid
$$;
comment on function auth.user_id() is
'User or device subject of the request; null for anonymous requests.';
revoke all on function auth.user_id() from public;
grant execute on function auth.user_id() to anon, customer, staff, platform, worker;
