create or replace function auth.branch_scope()
returns uuid[]
language sql
stable
set search_path = ''
as $$
    select case
        when auth.branch_id() is not null then array[auth.branch_id()]
        when pg_catalog.jsonb_typeof(auth.claims() -> 'branch_ids') = 'array'
            then array(
                select pg_catalog.jsonb_array_elements_text(auth.claims() -> 'branch_ids')::uuid
            )
    end
$$;
comment on function auth.branch_scope() is
'Branches the token may reach; null means every branch of its restaurant.';
revoke all on function auth.branch_scope() from public;
grant execute on function auth.branch_scope() to anon, customer, staff, platform, worker;
