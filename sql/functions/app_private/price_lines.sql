create or replace function app_private.price_lines(restaurant_id uuid, branch_id uuid, lines jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_line jsonb;
    v_n integer := 0;
    v_item app.items;
    v_local_time time;
    v_quantity integer;
    v_option_ids uuid [];
    v_options jsonb;
    v_delta bigint;
    v_found integer;
    v_unavailable text;
    v_group text;
    v_priced jsonb := '[]'::jsonb;
begin
    -- Every line is checked and priced from the catalog; a client's price is never read.
    -- Nothing is written here: place_order prices before it takes the branch's next number.
    if lines is null or pg_catalog.jsonb_typeof(lines) <> 'array'
        or pg_catalog.jsonb_array_length(lines) not between 1 and 100 then
        raise exception using errcode = 'BR422',
            message = 'items must be a list of 1 to 100 lines.', hint = 'validation_failed';
    end if;
    select (pg_catalog.now() at time zone coalesce(b.timezone, r.timezone))::time
    into v_local_time
    from app.branches as b
    inner join app.restaurants as r on b.restaurant_id = r.id
    where b.restaurant_id = price_lines.restaurant_id and b.id = price_lines.branch_id;

    for v_line in select x from pg_catalog.jsonb_array_elements(lines) as x loop
        v_n := v_n + 1;
        if pg_catalog.jsonb_typeof(v_line) <> 'object' then
            raise exception using errcode = 'BR422',
                message = pg_catalog.format('items[%s] must be an object.', v_n),
                hint = 'validation_failed';
        end if;
        perform app.require_keys(v_line, array['item_id', 'quantity', 'option_ids', 'note', 'course']);
        v_quantity := app.integer_field(v_line, 'quantity', 1, 99, true);
        -- Deduplicated: an option is chosen or not.
        v_option_ids := coalesce(app.uuid_list_field(v_line, 'option_ids'), '{}');
        -- Unknown, or another tenant's: bad input, and existence does not leak.
        select i.* into v_item
        from app.items as i
        where i.restaurant_id = price_lines.restaurant_id and i.id = app.uuid_field(v_line, 'item_id', true);
        if not found then
            raise exception using errcode = 'BR422',
                message = pg_catalog.format('items[%s].item_id names an unknown item.', v_n),
                hint = 'validation_failed';
        end if;
        if v_item.deleted_at is not null
            or not app_private.in_time_window(v_item.available_from, v_item.available_until, v_local_time)
            or not coalesce((
                select a.available from app.branch_item_availability as a
                where a.restaurant_id = price_lines.restaurant_id and a.branch_id = price_lines.branch_id
                    and a.item_id = v_item.id
            ), true)
            or not exists (
                select 1 from app.categories as c
                where c.restaurant_id = price_lines.restaurant_id and c.id = v_item.category_id
                    and c.visible and c.deleted_at is null
            ) then
            raise exception using errcode = 'BR409',
                message = pg_catalog.format('%s is not available now.', v_item.name),
                hint = 'item_unavailable';
        end if;
        -- The options chosen, as offered for this item (live groups linked to it), in menu order.
        select
            count(*)::integer,
            coalesce(sum(opt.price_delta), 0),
            coalesce(pg_catalog.jsonb_agg(
                pg_catalog.jsonb_build_object('id', opt.id, 'name', opt.name, 'price_delta', opt.price_delta)
                order by img.position, opt.position, opt.id
            ), '[]'::jsonb),
            min(opt.name) filter (where not opt.available)
        into v_found, v_delta, v_options, v_unavailable
        from app.modifier_options as opt
        inner join app.item_modifier_groups as img
            on img.restaurant_id = opt.restaurant_id and img.group_id = opt.group_id
        inner join app.modifier_groups as g
            on g.restaurant_id = opt.restaurant_id and g.id = opt.group_id
        where
            opt.restaurant_id = price_lines.restaurant_id
            and opt.id = any(v_option_ids)
            and img.item_id = v_item.id
            and g.deleted_at is null;
        if v_found <> cardinality(v_option_ids) then
            raise exception using errcode = 'BR422',
                message = pg_catalog.format('items[%s].option_ids names an option %s does not offer.', v_n, v_item.name),
                hint = 'validation_failed';
        end if;
        if v_unavailable is not null then
            raise exception using errcode = 'BR409',
                message = pg_catalog.format('%s is not available now.', v_unavailable),
                hint = 'item_unavailable';
        end if;
        -- Each live group of the item: between min_select and max_select options chosen.
        select g.name into v_group
        from app.item_modifier_groups as img
        inner join app.modifier_groups as g
            on g.restaurant_id = img.restaurant_id and g.id = img.group_id
        where
            img.restaurant_id = price_lines.restaurant_id
            and img.item_id = v_item.id
            and g.deleted_at is null
            and (
                select count(*) from app.modifier_options as opt
                where opt.restaurant_id = g.restaurant_id and opt.group_id = g.id
                    and opt.id = any(v_option_ids)
            ) not between g.min_select and g.max_select
        order by img.position, g.id
        limit 1;
        if found then
            raise exception using errcode = 'BR422',
                message = pg_catalog.format(
                    'items[%s]: choose the allowed number of options for %s.', v_n, v_group
                ),
                hint = 'validation_failed';
        end if;
        if v_item.price + v_delta < 0 then
            raise exception using errcode = 'BR422',
                message = pg_catalog.format('items[%s] would cost less than nothing.', v_n),
                hint = 'validation_failed';
        end if;
        v_priced := v_priced || pg_catalog.jsonb_build_object(
            'item_id', v_item.id,
            'category_id', v_item.category_id,
            'name', v_item.name,
            'quantity', v_quantity,
            'unit_price', v_item.price + v_delta,
            'options', v_options,
            'note', app.text_field(v_line, 'note', 200),
            'course', coalesce(app.integer_field(v_line, 'course', 1, 9), 1),
            'position', v_n
        );
    end loop;
    return v_priced;
end;
$$;
comment on function app_private.price_lines(uuid, uuid, jsonb) is
'Checks requested lines against the catalog (exists, available here now, modifier rules) and prices them.';
revoke all on function app_private.price_lines(uuid, uuid, jsonb) from public;
