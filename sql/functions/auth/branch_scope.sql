-- SQL-standard body without a SET clause, inlinable into policies (ADR 0007): no FROM, and
-- it reads the setting itself, since a body bound at creation must not depend on file order.
create or replace function auth.branch_scope()
returns uuid[]
language sql
stable
begin atomic
    select case
        when
            nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb
            ->> 'branch_id' is not null
            then array[(
                nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb
                ->> 'branch_id'
            )::uuid]
        -- A JSON array of uuid strings is an array literal once its brackets are braces.
        when
            pg_catalog.jsonb_typeof(
                nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb
                -> 'branch_ids'
            ) = 'array'
            then pg_catalog.translate((
                nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb
                -> 'branch_ids'
            )::text, '[]', '{}')::uuid[]
    end;
end;
comment on function auth.branch_scope() is
'Branches the token may reach; null means every branch of its restaurant.';
revoke all on function auth.branch_scope() from public;
grant execute on function auth.branch_scope() to anon, customer, staff, platform, worker;
