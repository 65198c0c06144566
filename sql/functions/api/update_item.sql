create or replace function api.update_item(item_id uuid, patch jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_item app.items;
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
begin
    perform app.require_keys(
        patch,
        array[
            'category_id', 'name', 'description', 'price', 'translations', 'allergens', 'dietary',
            'modifier_group_ids', 'available_from', 'available_until', 'image_url', 'position'
        ]
    );
    select i.* into v_item
    from app.items as i
    where i.id = update_item.item_id and i.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Item not found.', hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers edit the menu.');
    -- A key that is present is validated. Required fields refuse null; the optional ones are
    -- cleared by it (description, translations, allergens, dietary, groups, window, image).
    v_category_id := app.uuid_field(patch, 'category_id', patch ? 'category_id');
    v_name := app.text_field(patch, 'name', 160, patch ? 'name');
    v_description := app.text_field(patch, 'description', 2000);
    v_price := app.integer_field(patch, 'price', 0, 100000000, patch ? 'price');
    v_translations := app.translations_field(patch, 'translations', array['name', 'description']);
    v_allergens := app.text_list_field(patch, 'allergens', 20, 40);
    v_dietary := app.text_list_field(patch, 'dietary', 20, 40);
    v_from := case
        when patch ? 'available_from' then app.time_field(patch, 'available_from')
        else v_item.available_from
    end;
    v_until := case
        when patch ? 'available_until' then app.time_field(patch, 'available_until')
        else v_item.available_until
    end;
    v_image_url := app.text_field(patch, 'image_url', 2000);
    v_position := app.integer_field(patch, 'position', 0, 1000000, patch ? 'position');
    perform app.check_item_fields(v_item.restaurant_id, v_category_id, v_from, v_until, v_image_url);
    v_group_ids := coalesce(app.modifier_group_ids_field(v_item.restaurant_id, patch), '{}');

    update app.items as i
    set
        category_id = coalesce(v_category_id, i.category_id),
        name = coalesce(v_name, i.name),
        description = case
            when patch ? 'description' then coalesce(v_description, '') else i.description
        end,
        price = coalesce(v_price, i.price),
        translations = case
            when patch ? 'translations' then coalesce(v_translations, '{}'::jsonb)
            else i.translations
        end,
        allergens = case
            when patch ? 'allergens' then coalesce(v_allergens, '{}') else i.allergens
        end,
        dietary = case when patch ? 'dietary' then coalesce(v_dietary, '{}') else i.dietary end,
        available_from = v_from,
        available_until = v_until,
        image_url = case when patch ? 'image_url' then v_image_url else i.image_url end,
        position = coalesce(v_position, i.position)
    where i.restaurant_id = v_item.restaurant_id and i.id = v_item.id
    returning i.* into v_item;
    if not found then
        raise exception using errcode = 'BR403', message = 'Only owners and managers edit the menu.',
            hint = 'forbidden';
    end if;
    -- The groups are replaced as a whole, and only when they change (a no-op keeps the cache).
    if patch ? 'modifier_group_ids' and v_group_ids is distinct from array(
        select img.group_id
        from app.item_modifier_groups as img
        where img.restaurant_id = v_item.restaurant_id and img.item_id = v_item.id
        order by img.position, img.group_id
    ) then
        delete from app.item_modifier_groups as img
        where img.restaurant_id = v_item.restaurant_id and img.item_id = v_item.id;
        insert into app.item_modifier_groups (restaurant_id, item_id, group_id, position)
        select v_item.restaurant_id, v_item.id, g.id, g.n - 1
        from pg_catalog.unnest(v_group_ids) with ordinality as g (id, n);
    end if;
    return app.item_json(v_item);
end;
$$;
comment on function api.update_item(uuid, jsonb) is
'Change an item''s category, texts, price, groups, time window or image (owner, manager).';
revoke all on function api.update_item(uuid, jsonb) from public;
grant execute on function api.update_item(uuid, jsonb) to staff;
