create or replace function api.list_stations(
    branch_id uuid, lim integer default 50, cursor uuid default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_branch app.branches;
    v_items jsonb;
begin
    perform app.require_limit(lim);
    -- Any staff member in the branch's scope may read them (a kitchen screen picks its station).
    select b.* into v_branch
    from app.branches as b
    where b.id = list_stations.branch_id and b.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Branch not found.',
            hint = 'not_found';
    end if;
    select coalesce(pg_catalog.jsonb_agg(app.station_json(x.s) order by (x.s).id), '[]'::jsonb)
    into v_items
    from (
        select s
        from app.stations as s
        where
            s.restaurant_id = v_branch.restaurant_id
            and s.branch_id = v_branch.id
            and (list_stations.cursor is null or s.id > list_stations.cursor)
        order by s.id
        limit list_stations.lim + 1
    ) as x;
    return app.page_json(v_items, lim);
end;
$$;
comment on function api.list_stations(uuid, integer, uuid) is
'List the kitchen stations of a branch (staff of that branch).';
revoke all on function api.list_stations(uuid, integer, uuid) from public;
grant execute on function api.list_stations(uuid, integer, uuid) to staff;
