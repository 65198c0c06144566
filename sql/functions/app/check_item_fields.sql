create or replace function app.check_item_fields(
    restaurant_id uuid,
    category_id uuid,
    available_from time,
    available_until time,
    image_url text
)
returns void
language plpgsql
-- volatile: it takes a row lock (FOR SHARE) on the category.
volatile
set search_path = ''
as $$
begin
    -- The rules an item must meet whether it is created or changed. A null category_id is
    -- "not changed" (update_item) and is not checked.
    if (available_from is null) <> (available_until is null) then
        raise exception using errcode = 'BR422',
            message = 'available_from and available_until go together: give both or neither.',
            hint = 'validation_failed';
    end if;
    if available_from = available_until then
        raise exception using errcode = 'BR422',
            message = 'available_from and available_until must differ.',
            hint = 'validation_failed';
    end if;
    if image_url !~ '^https://[^[:space:]]+$' then
        raise exception using errcode = 'BR422', message = 'image_url must be an https:// URL.',
            hint = 'validation_failed';
    end if;
    -- A body reference that is unknown or another tenant's is bad input (422), not a 404 of
    -- the route; FOR SHARE waits for a concurrent delete of the category.
    if category_id is not null then
        perform 1 from app.categories as c
        where
            c.restaurant_id = check_item_fields.restaurant_id
            and c.id = check_item_fields.category_id
            and c.deleted_at is null
        for share;
        if not found then
            raise exception using errcode = 'BR422',
                message = 'category_id names an unknown category.', hint = 'validation_failed';
        end if;
    end if;
end;
$$;
comment on function app.check_item_fields(uuid, uuid, time, time, text) is
'Refuses (422) an item''s serving window, image URL or category when they break the rules.';
revoke all on function app.check_item_fields(uuid, uuid, time, time, text) from public;
grant execute on function app.check_item_fields(uuid, uuid, time, time, text) to staff;
