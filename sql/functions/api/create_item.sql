create or replace function api.create_item(restaurant_id uuid, body jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_category_id uuid;
    v_name text;
    v_description text;
    v_price integer;
    v_translations jsonb;
    v_allergens text [];
    v_dietary text [];
    v_group_ids uuid [];
    v_from time;
    v_until time;
    v_image_url text;
    v_position integer;
    v_item app.items;
begin
    perform app.require_keys(
        body,
        array[
            'category_id', 'name', 'description', 'price', 'translations', 'allergens', 'dietary',
            'modifier_group_ids', 'available_from', 'available_until', 'image_url', 'position'
        ]
    );
    -- RLS decides visibility (another tenant: 404); the role decides permission (403).
    perform 1 from app.restaurants as r where r.id = create_item.restaurant_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Restaurant not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers edit the menu.');
    v_category_id := app.uuid_field(body, 'category_id', true);
    v_name := app.text_field(body, 'name', 160, true);
    v_description := app.text_field(body, 'description', 2000);
    v_price := app.integer_field(body, 'price', 0, 100000000, true);
    v_translations := app.translations_field(body, 'translations', array['name', 'description']);
    v_allergens := app.text_list_field(body, 'allergens', 20, 40);
    v_dietary := app.text_list_field(body, 'dietary', 20, 40);
    v_from := app.time_field(body, 'available_from');
    v_until := app.time_field(body, 'available_until');
    v_image_url := app.text_field(body, 'image_url', 2000);
    v_position := app.integer_field(body, 'position', 0, 1000000);
    perform app.check_item_fields(
        create_item.restaurant_id, v_category_id, v_from, v_until, v_image_url
    );
    v_group_ids := app.modifier_group_ids_field(create_item.restaurant_id, body);

    insert into app.items (
        restaurant_id, category_id, name, description, price, translations, allergens, dietary,
        available_from, available_until, image_url, position
    )
    values (
        create_item.restaurant_id, v_category_id, v_name, coalesce(v_description, ''), v_price,
        coalesce(v_translations, '{}'::jsonb), coalesce(v_allergens, '{}'),
        coalesce(v_dietary, '{}'), v_from, v_until, v_image_url, coalesce(v_position, 0)
    )
    returning * into v_item;
    insert into app.item_modifier_groups (restaurant_id, item_id, group_id, position)
    select v_item.restaurant_id, v_item.id, g.id, g.n - 1
    from pg_catalog.unnest(v_group_ids) with ordinality as g (id, n);
    return app.item_json(v_item);
end;
$$;
comment on function api.create_item(uuid, jsonb) is
'Add a dish or drink to the menu, with its modifier groups and time window (owner, manager).';
revoke all on function api.create_item(uuid, jsonb) from public;
grant execute on function api.create_item(uuid, jsonb) to staff;
