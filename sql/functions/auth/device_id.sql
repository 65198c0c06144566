create or replace function auth.device_id()
returns uuid
language sql
stable
set search_path = ''
as $$
    select nullif(auth.claims() ->> 'device_id', '')::uuid
$$;
comment on function auth.device_id() is
'Registered device the token was issued on; null otherwise.';
revoke all on function auth.device_id() from public;
grant execute on function auth.device_id() to anon, customer, staff, platform, worker;
