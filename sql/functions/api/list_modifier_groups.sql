create or replace function api.list_modifier_groups(
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
    perform 1 from app.restaurants as r where r.id = list_modifier_groups.restaurant_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Restaurant not found.',
            hint = 'not_found';
    end if;
    -- Every staff member reads the menu (RLS); deleted groups are left out.
    select coalesce(
        pg_catalog.jsonb_agg(app.modifier_group_json(x.g) order by (x.g).id), '[]'::jsonb
    )
    into v_items
    from (
        select g
        from app.modifier_groups as g
        where
            g.restaurant_id = list_modifier_groups.restaurant_id
            and g.deleted_at is null
            and (list_modifier_groups.cursor is null or g.id > list_modifier_groups.cursor)
        order by g.id
        limit list_modifier_groups.lim + 1
    ) as x;
    return app.page_json(v_items, lim);
end;
$$;
comment on function api.list_modifier_groups(uuid, integer, uuid) is
'List the live modifier groups of a restaurant with their options (staff).';
revoke all on function api.list_modifier_groups(uuid, integer, uuid) from public;
grant execute on function api.list_modifier_groups(uuid, integer, uuid) to staff;
