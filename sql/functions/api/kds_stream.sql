create or replace function api.kds_stream(branch_id uuid, station_id uuid default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_branch app.branches;
begin
    -- Who may open a branch's kitchen stream: staff of that branch, else 404.
    v_branch := app.kitchen_branch(kds_stream.branch_id, kds_stream.station_id);
    return pg_catalog.jsonb_build_object(
        'restaurant_id', v_branch.restaurant_id,
        'branch_id', v_branch.id,
        'station_id', station_id,
        'last_event_id', app.last_event_id(v_branch.restaurant_id, v_branch.id)
    );
end;
$$;
comment on function api.kds_stream(uuid, uuid) is
'Checks who may stream a branch''s kitchen events and returns the routing keys and current event id.';
revoke all on function api.kds_stream(uuid, uuid) from public;
grant execute on function api.kds_stream(uuid, uuid) to staff, customer;
