create or replace function app.item_json(i app.items)
returns jsonb
language sql
stable
set search_path = ''
as $$
    select pg_catalog.jsonb_build_object(
        'id', i.id,
        'restaurant_id', i.restaurant_id,
        'category_id', i.category_id,
        'name', i.name,
        'description', i.description,
        'price', i.price,
        'translations', i.translations,
        'allergens', pg_catalog.to_jsonb(i.allergens),
        'dietary', pg_catalog.to_jsonb(i.dietary),
        'modifier_group_ids', coalesce(
            (
                select pg_catalog.jsonb_agg(img.group_id order by img.position, img.group_id)
                from app.item_modifier_groups as img
                where img.restaurant_id = i.restaurant_id and img.item_id = i.id
            ),
            '[]'::jsonb
        ),
        'available_from', i.available_from,
        'available_until', i.available_until,
        'image_url', i.image_url,
        'position', i.position,
        'created_at', i.created_at,
        'updated_at', i.updated_at,
        'deleted_at', i.deleted_at
    )
$$;
comment on function app.item_json(app.items) is
'The API shape of a menu item with its modifier groups in order, for staff.';
revoke all on function app.item_json(app.items) from public;
grant execute on function app.item_json(app.items) to staff;
