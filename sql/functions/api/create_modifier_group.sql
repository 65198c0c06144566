create or replace function api.create_modifier_group(restaurant_id uuid, body jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_name text;
    v_min integer;
    v_max integer;
    v_translations jsonb;
    v_options jsonb := body -> 'options';
    v_option jsonb;
    v_group app.modifier_groups;
begin
    perform app.require_keys(body, array['name', 'min_select', 'max_select', 'options', 'translations']);
    -- RLS decides visibility (another tenant: 404); the role decides permission (403).
    perform 1 from app.restaurants as r where r.id = create_modifier_group.restaurant_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Restaurant not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers edit the menu.');
    v_name := app.text_field(body, 'name', 120, true);
    v_min := coalesce(app.integer_field(body, 'min_select', 0, 100), 0);
    v_max := coalesce(app.integer_field(body, 'max_select', 1, 100), 1);
    v_translations := app.translations_field(body, 'translations', array['name']);
    if v_min > v_max then
        raise exception using errcode = 'BR422',
            message = 'min_select cannot be more than max_select.', hint = 'validation_failed';
    end if;
    if pg_catalog.jsonb_typeof(v_options) is distinct from 'array'
        or pg_catalog.jsonb_array_length(v_options) not between 1 and 100 then
        raise exception using errcode = 'BR422',
            message = 'options must be a list of 1 to 100 options ({name, price_delta}).',
            hint = 'validation_failed';
    end if;
    if v_min > pg_catalog.jsonb_array_length(v_options) then
        raise exception using errcode = 'BR422',
            message = 'min_select is more than the number of options: nobody could order it.',
            hint = 'validation_failed';
    end if;
    -- Every option is checked before anything is written.
    for v_option in select e.item from pg_catalog.jsonb_array_elements(v_options) as e (item) loop
        perform app.require_keys(v_option, array['name', 'price_delta', 'available', 'translations']);
        perform app.text_field(v_option, 'name', 120, true);
        perform app.integer_field(v_option, 'price_delta', -100000000, 100000000);
        perform app.boolean_field(v_option, 'available');
        perform app.translations_field(v_option, 'translations', array['name']);
    end loop;

    insert into app.modifier_groups (restaurant_id, name, min_select, max_select, translations)
    values (
        create_modifier_group.restaurant_id, v_name, v_min, v_max,
        coalesce(v_translations, '{}'::jsonb)
    )
    returning * into v_group;
    insert into app.modifier_options (
        restaurant_id, group_id, name, price_delta, position, available, translations
    )
    select
        v_group.restaurant_id,
        v_group.id,
        app.text_field(o.item, 'name', 120, true),
        coalesce(app.integer_field(o.item, 'price_delta', -100000000, 100000000), 0),
        o.n - 1,
        coalesce(app.boolean_field(o.item, 'available'), true),
        coalesce(app.translations_field(o.item, 'translations', array['name']), '{}'::jsonb)
    from pg_catalog.jsonb_array_elements(v_options) with ordinality as o (item, n);
    return app.modifier_group_json(v_group);
end;
$$;
comment on function api.create_modifier_group(uuid, jsonb) is
'Add a modifier group (size, extras) with its options and selection bounds (owner, manager).';
revoke all on function api.create_modifier_group(uuid, jsonb) from public;
grant execute on function api.create_modifier_group(uuid, jsonb) to staff;
