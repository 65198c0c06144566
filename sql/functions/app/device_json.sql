create or replace function app.device_json(d app.devices)
returns jsonb
language sql
stable
set search_path = ''
as $$
    select pg_catalog.jsonb_build_object(
        'id', d.id,
        'branch_id', d.branch_id,
        'name', d.name,
        'locked_until', d.locked_until,
        'last_seen_at', d.last_seen_at,
        'created_at', d.created_at,
        'revoked_at', d.revoked_at
    )
$$;
comment on function app.device_json(app.devices) is
'The API shape of a registered device, in one place for every function that returns one.';
revoke all on function app.device_json(app.devices) from public;
grant execute on function app.device_json(app.devices) to staff, platform;
