create or replace function auth.session_id()
returns uuid
language sql
stable
set search_path = ''
as $$
    select nullif(auth.claims() ->> 'session_id', '')::uuid
$$;
comment on function auth.session_id() is
'Table session of a customer token; null otherwise.';
revoke all on function auth.session_id() from public;
grant execute on function auth.session_id() to anon, customer, staff, platform, worker;
