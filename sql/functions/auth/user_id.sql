-- SQL-standard body without a SET clause: names are bound when the function is created (no
-- search_path can redirect them) and the planner can inline it into policies (ADR 0007).
create or replace function auth.user_id()
returns uuid
language sql
stable
begin atomic
    -- Reads the setting itself: a body bound at creation must not depend on file order.
    select nullif(
        nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub', ''
    )::uuid;
end;
comment on function auth.user_id() is
'User or device subject of the request; null for anonymous requests.';
revoke all on function auth.user_id() from public;
grant execute on function auth.user_id() to anon, customer, staff, platform, worker;
