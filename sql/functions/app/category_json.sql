create or replace function app.category_json(c app.categories)
returns jsonb
language sql
immutable
set search_path = ''
as $$
    select pg_catalog.jsonb_build_object(
        'id', c.id,
        'restaurant_id', c.restaurant_id,
        'name', c.name,
        'position', c.position,
        'translations', c.translations,
        'visible', c.visible,
        'created_at', c.created_at,
        'updated_at', c.updated_at,
        'deleted_at', c.deleted_at
    )
$$;
comment on function app.category_json(app.categories) is
'The API shape of a menu category, in one place for every function that returns one.';
revoke all on function app.category_json(app.categories) from public;
grant execute on function app.category_json(app.categories) to staff;
