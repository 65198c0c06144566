create or replace function auth.restaurant_id()
returns uuid
language sql
stable
set search_path = ''
as $$
    select nullif(auth.claims() ->> 'restaurant_id', '')::uuid
$$;
comment on function auth.restaurant_id() is
'Restaurant (tenant) of the request; null when the token names none.';
revoke all on function auth.restaurant_id() from public;
grant execute on function auth.restaurant_id() to anon, customer, staff, platform, worker;
