create or replace function app.branch_json(b app.branches)
returns jsonb
language sql
stable
set search_path = ''
as $$
    select pg_catalog.jsonb_build_object(
        'id', b.id,
        'restaurant_id', b.restaurant_id,
        'name', b.name,
        'address', b.address,
        'timezone', b.timezone,
        'auto_accept', b.auto_accept,
        'qr_requires_open_table', b.qr_requires_open_table,
        'created_at', b.created_at,
        'updated_at', b.updated_at,
        'deleted_at', b.deleted_at
    )
$$;
comment on function app.branch_json(app.branches) is
'The API shape of a branch, in one place for every function that returns one.';
revoke all on function app.branch_json(app.branches) from public;
grant execute on function app.branch_json(app.branches) to staff, platform, customer;
