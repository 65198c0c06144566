create or replace function api.create_station(branch_id uuid, body jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_branch app.branches;
    v_name text;
    v_target_seconds integer;
    v_category_ids uuid[];
    v_station app.stations;
begin
    perform app.require_keys(body, array['name', 'category_ids', 'target_seconds']);
    select b.* into v_branch
    from app.branches as b
    where b.id = create_station.branch_id and b.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Branch not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers add stations.');
    v_name := app.text_field(body, 'name', 60, true);
    v_target_seconds := app.integer_field(body, 'target_seconds', 30, 7200);
    v_category_ids := app.uuid_list_field(body, 'category_ids');
    -- The categories this station prepares: live ones of the restaurant. An unknown or another
    -- tenant's id in the body is bad input (422), as branch_ids is for staff.
    if exists (
        select 1
        from pg_catalog.unnest(v_category_ids) as wanted (id)
        where not exists (
            select 1
            from app.categories as c
            where
                c.restaurant_id = v_branch.restaurant_id
                and c.id = wanted.id
                and c.deleted_at is null
        )
    ) then
        raise exception using errcode = 'BR422', message = 'category_ids names an unknown category.',
            hint = 'validation_failed';
    end if;
    if exists (
        select 1 from app.stations as s
        where s.restaurant_id = v_branch.restaurant_id and s.branch_id = v_branch.id and s.name = v_name
    ) then
        raise exception using errcode = 'BR409', message = 'This branch has a station of that name.',
            hint = 'station_name_taken';
    end if;
    insert into app.stations (restaurant_id, branch_id, name, target_seconds)
    values (v_branch.restaurant_id, v_branch.id, v_name, coalesce(v_target_seconds, 600))
    returning * into v_station;
    insert into app.station_categories (restaurant_id, station_id, category_id)
    select v_station.restaurant_id, v_station.id, wanted.id
    from pg_catalog.unnest(v_category_ids) as wanted (id);
    return app.station_json(v_station);
end;
$$;
comment on function api.create_station(uuid, jsonb) is
'Add a kitchen station (grill, bar, ...) to a branch (owner, manager).';
revoke all on function api.create_station(uuid, jsonb) from public;
grant execute on function api.create_station(uuid, jsonb) to staff;
