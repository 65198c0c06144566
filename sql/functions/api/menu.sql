-- The result's columns changed once (restaurant_id, valid_until): replace needs a drop.
drop function if exists api.menu(uuid, text, text);
create function api.menu(branch_id uuid, lang text default null, if_none_match text default null)
returns table (etag text, document text, restaurant_id uuid, valid_until timestamptz)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_restaurant app.restaurants;
    v_lang text;
    v_cached app_private.menu_cache;
    v_document jsonb;
begin
    -- Public: a guest's phone reads any live branch's menu. Definer to read and fill the cache.
    select r.* into v_restaurant
    from app.branches as b
    inner join app.restaurants as r on b.restaurant_id = r.id
    where b.id = menu.branch_id and b.deleted_at is null and r.status = 'active';
    if not found then
        raise exception using errcode = 'BR404', message = 'Menu not found.', hint = 'not_found';
    end if;
    if menu.lang is not null and menu.lang !~ '^[a-z]{2}(-[A-Z]{2})?$' then
        raise exception using errcode = 'BR422', message = 'lang must look like "en" or "ar".',
            hint = 'validation_failed';
    end if;
    -- A language nobody translated into falls back to the restaurant's own: one cache entry.
    v_lang := case
        when menu.lang is null or menu.lang = v_restaurant.locale then v_restaurant.locale
        when exists (
            select 1 from app.categories as c
            where c.restaurant_id = v_restaurant.id and c.translations ? menu.lang
        ) or exists (
            select 1 from app.items as i
            where i.restaurant_id = v_restaurant.id and i.translations ? menu.lang
        ) then menu.lang
        else v_restaurant.locale
    end;

    select c.* into v_cached
    from app_private.menu_cache as c
    where c.restaurant_id = v_restaurant.id and c.branch_id = menu.branch_id and c.lang = v_lang
        and not c.stale and (c.valid_until is null or c.valid_until > now());
    if not found then
        v_document := app_private.menu_document(menu.branch_id, v_lang);
        insert into app_private.menu_cache as c (
            restaurant_id, branch_id, lang, document, version, etag, valid_until
        )
        values (
            v_restaurant.id, menu.branch_id, v_lang, v_document::text,
            (v_document ->> 'version')::bigint,
            '"' || md5(v_document::text) || '"',
            app_private.menu_valid_until(menu.branch_id)
        )
        on conflict on constraint menu_cache_pkey do update
            set
                document = excluded.document,
                version = excluded.version,
                etag = excluded.etag,
                valid_until = excluded.valid_until,
                built_at = now(),
                stale = false
        returning c.* into v_cached;
    end if;
    etag := v_cached.etag;
    document := case when v_cached.etag = menu.if_none_match then null else v_cached.document end;
    restaurant_id := v_restaurant.id;
    valid_until := v_cached.valid_until;
    return next;
end;
$$;
comment on function api.menu(uuid, text, text) is
'The whole menu of a branch as one JSON document with its ETag (public; cached, rebuilt on change).';
revoke all on function api.menu(uuid, text, text) from public;
grant execute on function api.menu(uuid, text, text) to anon, customer, staff, platform;
