-- SQL-standard body without a SET clause: names are bound when the function is created (no
-- search_path can redirect them) and the planner can inline it into policies (ADR 0007).
create or replace function auth.app_role()
returns text
language sql
stable
begin atomic
    -- Reads the setting itself: a body bound at creation must not depend on file order.
    select nullif(
        nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'app_role', ''
    );
end;
comment on function auth.app_role() is
'Application role (owner, manager, waiter, kitchen, customer, platform_admin); null when anonymous.';
revoke all on function auth.app_role() from public;
grant execute on function auth.app_role() to anon, customer, staff, platform, worker;
