create or replace function api.kds_stream(branch_id uuid, station_id uuid default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_branch app.branches;
begin
    -- Who may open a branch's kitchen stream: staff of that branch (RLS), else 404.
    select b.* into v_branch
    from app.branches as b
    where b.id = kds_stream.branch_id and b.deleted_at is null;
    if not found or auth.claims() ->> 'role' is distinct from 'staff' then
        raise exception using errcode = 'BR404', message = 'Branch not found.', hint = 'not_found';
    end if;
    if station_id is not null and not exists (
        select 1 from app.stations as st
        where st.restaurant_id = v_branch.restaurant_id and st.branch_id = v_branch.id
            and st.id = kds_stream.station_id
    ) then
        raise exception using errcode = 'BR404', message = 'Station not found.', hint = 'not_found';
    end if;
    return pg_catalog.jsonb_build_object(
        'restaurant_id', v_branch.restaurant_id,
        'branch_id', v_branch.id,
        'station_id', station_id,
        'last_event_id', (
            select coalesce(max(e.id), 0) from queue.events as e
            where e.restaurant_id = v_branch.restaurant_id and e.branch_id = v_branch.id
        )
    );
end;
$$;
comment on function api.kds_stream(uuid, uuid) is
'Checks who may stream a branch''s kitchen events and returns the routing keys and current event id.';
revoke all on function api.kds_stream(uuid, uuid) from public;
grant execute on function api.kds_stream(uuid, uuid) to staff, customer;
