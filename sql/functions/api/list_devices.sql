create or replace function api.list_devices(
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
    select b.* into v_branch
    from app.branches as b
    where b.id = list_devices.branch_id and b.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Branch not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers list devices.');
    select coalesce(pg_catalog.jsonb_agg(app.device_json(x.d) order by (x.d).id), '[]'::jsonb)
    into v_items
    from (
        select d
        from app.devices as d
        where
            d.restaurant_id = v_branch.restaurant_id
            and d.branch_id = v_branch.id
            and (list_devices.cursor is null or d.id > list_devices.cursor)
        order by d.id
        limit list_devices.lim + 1
    ) as x;
    return app.page_json(v_items, lim);
end;
$$;
comment on function api.list_devices(uuid, integer, uuid) is
'List the devices registered to a branch, revoked ones included (owner, manager).';
revoke all on function api.list_devices(uuid, integer, uuid) from public;
grant execute on function api.list_devices(uuid, integer, uuid) to staff;
