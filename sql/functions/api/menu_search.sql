create or replace function api.menu_search(branch_id uuid, q text, lang text default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    v_restaurant app.restaurants;
    v_words text [];
    v_query tsquery;
begin
    -- Public, like the menu. The last word matches as a prefix: "chick" finds "Chicken".
    select r.* into v_restaurant
    from app.branches as b
    inner join app.restaurants as r on b.restaurant_id = r.id
    where b.id = menu_search.branch_id and b.deleted_at is null and r.status = 'active';
    if not found then
        raise exception using errcode = 'BR404', message = 'Menu not found.', hint = 'not_found';
    end if;
    if length(coalesce(menu_search.q, '')) not between 1 and 200 then
        raise exception using errcode = 'BR422', message = 'q must be 1 to 200 characters.',
            hint = 'validation_failed';
    end if;
    v_words := regexp_split_to_array(
        trim(regexp_replace(menu_search.q, '[^[:alnum:]]+', ' ', 'g')), '\s+'
    );
    if v_words = array[''] then
        return jsonb_build_object('items', '[]'::jsonb);
    end if;
    v_query := (
        select
            case when array_length(v_words, 1) > 1
                then to_tsquery(c.cfg, array_to_string(
                    array(select quote_literal(w) from unnest(v_words[1:array_length(v_words, 1) - 1]) as w),
                    ' & '
                )) && to_tsquery(c.cfg, quote_literal(v_words[array_length(v_words, 1)]) || ':*')
                else to_tsquery(c.cfg, quote_literal(v_words[1]) || ':*')
            end
        from (select v_restaurant.search_config as cfg) as c
    ) || (
        select to_tsquery('simple', array_to_string(
            array(select quote_literal(w) || ':*' from unnest(v_words) as w), ' & '
        ))
    );
    return jsonb_build_object('items', coalesce((
        select jsonb_agg(hit.doc order by hit.rank desc, hit.id)
        from (
            select
                i.id,
                ts_rank(i.search, v_query) as rank,
                jsonb_build_object(
                    'id', i.id,
                    'category_id', i.category_id,
                    'name', coalesce(i.translations -> menu_search.lang ->> 'name', i.name),
                    'description', coalesce(
                        i.translations -> menu_search.lang ->> 'description', i.description
                    ),
                    'price', i.price,
                    'available', coalesce(a.available, true),
                    'rank', round(ts_rank(i.search, v_query)::numeric, 4)
                ) as doc
            from app.items as i
            inner join app.categories as c
                on i.restaurant_id = c.restaurant_id and i.category_id = c.id
            left join app.branch_item_availability as a
                on a.restaurant_id = i.restaurant_id
                and a.branch_id = menu_search.branch_id
                and a.item_id = i.id
            where i.restaurant_id = v_restaurant.id
                and i.search @@ v_query
                and i.deleted_at is null
                and c.deleted_at is null
                and c.visible
            order by rank desc, i.id
            limit 50
        ) as hit
    ), '[]'::jsonb));
end;
$$;
comment on function api.menu_search(uuid, text, text) is
'Ranked full-text search over a branch''s menu, prefix-matching the last word (public).';
revoke all on function api.menu_search(uuid, text, text) from public;
grant execute on function api.menu_search(uuid, text, text) to anon, customer, staff, platform;
