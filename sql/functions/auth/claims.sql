-- SQL-standard body without a SET clause: names are bound when the function is created (no
-- search_path can redirect them) and the planner can inline it into policies (ADR 0007).
create or replace function auth.claims()
returns jsonb
language sql
stable
begin atomic
    select coalesce(nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb, '{}'::jsonb);
end;
comment on function auth.claims() is
'Verified claims of the current request; empty (no tenant, no user) when none are set.';
revoke all on function auth.claims() from public;
grant execute on function auth.claims() to anon, customer, staff, platform, worker;
