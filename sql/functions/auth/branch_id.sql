create or replace function auth.branch_id()
returns uuid
language sql
stable
set search_path = ''
as $$
    select nullif(auth.claims() ->> 'branch_id', '')::uuid
$$;
comment on function auth.branch_id() is
'Branch the token is scoped to (devices, branch staff); null when not scoped.';
revoke all on function auth.branch_id() from public;
grant execute on function auth.branch_id() to anon, customer, staff, platform, worker;
