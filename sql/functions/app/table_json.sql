create or replace function app.table_json(t app.dining_tables, open_session_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
    select pg_catalog.jsonb_build_object(
        'id', t.id,
        'branch_id', t.branch_id,
        'label', t.label,
        'seats', t.seats,
        'qr_token', t.qr_token,
        'open_session_id', open_session_id,
        'created_at', t.created_at
    )
$$;
comment on function app.table_json(app.dining_tables, uuid) is
'The API shape of a dining table (with its open session, if any) for staff.';
revoke all on function app.table_json(app.dining_tables, uuid) from public;
grant execute on function app.table_json(app.dining_tables, uuid) to staff;
