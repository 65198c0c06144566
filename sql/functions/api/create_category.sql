create or replace function api.create_category(restaurant_id uuid, body jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_name text;
    v_position integer;
    v_translations jsonb;
    v_visible boolean;
    v_category app.categories;
begin
    perform app.require_keys(body, array['name', 'position', 'translations', 'visible']);
    -- RLS decides visibility (another tenant: 404); the role decides permission (403).
    perform 1 from app.restaurants as r where r.id = create_category.restaurant_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Restaurant not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers edit the menu.');
    v_name := app.text_field(body, 'name', 120, true);
    v_position := app.integer_field(body, 'position', 0, 1000000);
    v_translations := app.translations_field(body, 'translations', array['name']);
    v_visible := app.boolean_field(body, 'visible');
    insert into app.categories (restaurant_id, name, position, translations, visible)
    values (
        create_category.restaurant_id, v_name, coalesce(v_position, 0),
        coalesce(v_translations, '{}'::jsonb), coalesce(v_visible, true)
    )
    returning * into v_category;
    return app.category_json(v_category);
end;
$$;
comment on function api.create_category(uuid, jsonb) is
'Add a menu category, with its translated names (owner, manager).';
revoke all on function api.create_category(uuid, jsonb) from public;
grant execute on function api.create_category(uuid, jsonb) to staff;
