create or replace function api.list_staff(
    restaurant_id uuid, lim integer default 50, cursor uuid default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_items jsonb;
begin
    perform app.require_limit(lim);
    perform 1 from app.restaurants as r where r.id = list_staff.restaurant_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Restaurant not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers list staff.');
    select coalesce(pg_catalog.jsonb_agg(app.staff_json(x.m) order by (x.m).id), '[]'::jsonb)
    into v_items
    from (
        select m
        from app.memberships as m
        where
            m.restaurant_id = list_staff.restaurant_id
            and m.deleted_at is null
            and (list_staff.cursor is null or m.id > list_staff.cursor)
        order by m.id
        limit list_staff.lim + 1
    ) as x;
    return app.page_json(v_items, lim);
end;
$$;
comment on function api.list_staff(uuid, integer, uuid) is
'List the staff of a restaurant (owner, manager).';
revoke all on function api.list_staff(uuid, integer, uuid) from public;
grant execute on function api.list_staff(uuid, integer, uuid) to staff;
