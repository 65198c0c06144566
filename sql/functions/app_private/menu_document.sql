create or replace function app_private.menu_document(branch_id uuid, lang text)
returns jsonb
language sql
stable
set search_path = ''
as $$
    -- The whole menu of a branch in one statement: no query per category or item.
    with branch as (
        select
            b.restaurant_id,
            b.id,
            r.currency,
            (now() at time zone coalesce(b.timezone, r.timezone))::time as local_time
        from app.branches as b
        inner join app.restaurants as r on b.restaurant_id = r.id
        where b.id = menu_document.branch_id and b.deleted_at is null
    )

    select jsonb_build_object(
        'branch_id', branch.id,
        'currency', branch.currency,
        'version', (extract(epoch from clock_timestamp()) * 1000)::bigint,
        'categories', coalesce((
            select jsonb_agg(jsonb_build_object(
                'id', c.id,
                'name', coalesce(c.translations -> menu_document.lang ->> 'name', c.name),
                'position', c.position,
                'items', coalesce((
                    select jsonb_agg(jsonb_build_object(
                        'id', i.id,
                        'name', coalesce(i.translations -> menu_document.lang ->> 'name', i.name),
                        'description', coalesce(
                            i.translations -> menu_document.lang ->> 'description', i.description
                        ),
                        'price', i.price,
                        'image_url', i.image_url,
                        'available', coalesce(a.available, true)
                        and app_private.in_time_window(
                            i.available_from, i.available_until, branch.local_time
                        ),
                        'allergens', to_jsonb(i.allergens),
                        'dietary', to_jsonb(i.dietary),
                        'modifier_groups', coalesce((
                            select jsonb_agg(jsonb_build_object(
                                'id', g.id,
                                'name', coalesce(g.translations -> menu_document.lang ->> 'name', g.name),
                                'min_select', g.min_select,
                                'max_select', g.max_select,
                                'options', coalesce((
                                    select jsonb_agg(jsonb_build_object(
                                        'id', o.id,
                                        'name', coalesce(
                                            o.translations -> menu_document.lang ->> 'name', o.name
                                        ),
                                        'price_delta', o.price_delta
                                    ) order by o.position, o.id)
                                    from app.modifier_options as o
                                    where o.restaurant_id = g.restaurant_id
                                        and o.group_id = g.id and o.available
                                ), '[]')
                            ) order by img.position, g.id)
                            from app.item_modifier_groups as img
                            inner join app.modifier_groups as g
                                on img.restaurant_id = g.restaurant_id and img.group_id = g.id
                            where img.restaurant_id = i.restaurant_id and img.item_id = i.id
                                and g.deleted_at is null
                        ), '[]')
                    ) order by i.position, i.id)
                    from app.items as i
                    left join app.branch_item_availability as a
                        on a.restaurant_id = i.restaurant_id
                        and a.branch_id = branch.id
                        and a.item_id = i.id
                    where i.restaurant_id = c.restaurant_id
                        and i.category_id = c.id
                        and i.deleted_at is null
                ), '[]')
            ) order by c.position, c.id)
            from app.categories as c
            where c.restaurant_id = branch.restaurant_id and c.visible and c.deleted_at is null
        ), '[]')
    )
    from branch
$$;
comment on function app_private.menu_document(uuid, text) is
'Builds a branch''s whole menu document in one query, in one language with fallback.';
revoke all on function app_private.menu_document(uuid, text) from public;
