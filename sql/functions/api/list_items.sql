create or replace function api.list_items(
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
    perform 1 from app.restaurants as r where r.id = list_items.restaurant_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Restaurant not found.',
            hint = 'not_found';
    end if;
    -- Every staff member reads the menu (RLS); deleted items are left out.
    select coalesce(pg_catalog.jsonb_agg(app.item_json(x.i) order by (x.i).id), '[]'::jsonb)
    into v_items
    from (
        select i
        from app.items as i
        where
            i.restaurant_id = list_items.restaurant_id
            and i.deleted_at is null
            and (list_items.cursor is null or i.id > list_items.cursor)
        order by i.id
        limit list_items.lim + 1
    ) as x;
    return app.page_json(v_items, lim);
end;
$$;
comment on function api.list_items(uuid, integer, uuid) is
'List the live menu items of a restaurant (staff).';
revoke all on function api.list_items(uuid, integer, uuid) from public;
grant execute on function api.list_items(uuid, integer, uuid) to staff;
