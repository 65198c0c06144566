create or replace function api.update_category(category_id uuid, patch jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_category app.categories;
    v_name text;
    v_position integer;
    v_translations jsonb;
    v_visible boolean;
begin
    perform app.require_keys(patch, array['name', 'position', 'translations', 'visible']);
    select c.* into v_category
    from app.categories as c
    where c.id = update_category.category_id and c.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Category not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers edit the menu.');
    -- A key that is present is validated; translations null clears them all.
    v_name := app.text_field(patch, 'name', 120, patch ? 'name');
    v_position := app.integer_field(patch, 'position', 0, 1000000, patch ? 'position');
    v_translations := app.translations_field(patch, 'translations', array['name']);
    v_visible := app.boolean_field(patch, 'visible', patch ? 'visible');
    update app.categories as c
    set
        name = coalesce(v_name, c.name),
        position = coalesce(v_position, c.position),
        translations = case
            when patch ? 'translations' then coalesce(v_translations, '{}'::jsonb)
            else c.translations
        end,
        visible = coalesce(v_visible, c.visible)
    where c.restaurant_id = v_category.restaurant_id and c.id = v_category.id
    returning c.* into v_category;
    if not found then
        raise exception using errcode = 'BR403', message = 'Only owners and managers edit the menu.',
            hint = 'forbidden';
    end if;
    return app.category_json(v_category);
end;
$$;
comment on function api.update_category(uuid, jsonb) is
'Rename, reorder, hide or translate a menu category (owner, manager).';
revoke all on function api.update_category(uuid, jsonb) from public;
grant execute on function api.update_category(uuid, jsonb) to staff;
