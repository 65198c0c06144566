create or replace function app.session_json(s app.table_sessions)
returns jsonb
language sql
stable
set search_path = ''
as $$
    select pg_catalog.jsonb_build_object(
        'session_id', s.id,
        'table_id', s.table_id,
        'branch_id', s.branch_id,
        'opened_by', s.opened_by,
        'opened_at', s.opened_at,
        'closed_by', s.closed_by,
        'closed_at', s.closed_at
    )
$$;
comment on function app.session_json(app.table_sessions) is
'The API shape of a table session as staff see it.';
revoke all on function app.session_json(app.table_sessions) from public;
grant execute on function app.session_json(app.table_sessions) to staff;
