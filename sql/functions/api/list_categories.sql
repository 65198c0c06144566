create or replace function api.list_categories(
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
    perform 1 from app.restaurants as r where r.id = list_categories.restaurant_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Restaurant not found.',
            hint = 'not_found';
    end if;
    -- Every staff member reads the menu (RLS); deleted categories are left out.
    select coalesce(pg_catalog.jsonb_agg(app.category_json(x.c) order by (x.c).id), '[]'::jsonb)
    into v_items
    from (
        select c
        from app.categories as c
        where
            c.restaurant_id = list_categories.restaurant_id
            and c.deleted_at is null
            and (list_categories.cursor is null or c.id > list_categories.cursor)
        order by c.id
        limit list_categories.lim + 1
    ) as x;
    return app.page_json(v_items, lim);
end;
$$;
comment on function api.list_categories(uuid, integer, uuid) is
'List the live menu categories of a restaurant (staff).';
revoke all on function api.list_categories(uuid, integer, uuid) from public;
grant execute on function api.list_categories(uuid, integer, uuid) to staff;
