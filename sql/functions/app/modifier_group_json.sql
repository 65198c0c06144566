create or replace function app.modifier_group_json(g app.modifier_groups)
returns jsonb
language sql
stable
set search_path = ''
as $$
    select pg_catalog.jsonb_build_object(
        'id', g.id,
        'restaurant_id', g.restaurant_id,
        'name', g.name,
        'min_select', g.min_select,
        'max_select', g.max_select,
        'translations', g.translations,
        'options', coalesce(
            (
                select pg_catalog.jsonb_agg(
                    pg_catalog.jsonb_build_object(
                        'id', o.id,
                        'name', o.name,
                        'price_delta', o.price_delta,
                        'position', o.position,
                        'available', o.available,
                        'translations', o.translations
                    )
                    order by o.position, o.id
                )
                from app.modifier_options as o
                where o.restaurant_id = g.restaurant_id and o.group_id = g.id
            ),
            '[]'::jsonb
        ),
        'created_at', g.created_at,
        'updated_at', g.updated_at,
        'deleted_at', g.deleted_at
    )
$$;
comment on function app.modifier_group_json(app.modifier_groups) is
'The API shape of a modifier group with its options in order, for staff.';
revoke all on function app.modifier_group_json(app.modifier_groups) from public;
grant execute on function app.modifier_group_json(app.modifier_groups) to staff;
