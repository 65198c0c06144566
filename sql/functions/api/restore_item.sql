create or replace function api.restore_item(item_id uuid)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_item app.items;
begin
    select i.* into v_item from app.items as i where i.id = restore_item.item_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Item not found.', hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers edit the menu.');
    if v_item.deleted_at is null then
        return app.item_json(v_item);  -- already live: restoring twice is harmless
    end if;
    -- Back into a live category only (FOR SHARE: a concurrent delete of it waits).
    perform 1 from app.categories as c
    where
        c.restaurant_id = v_item.restaurant_id
        and c.id = v_item.category_id
        and c.deleted_at is null
    for share;
    if not found then
        raise exception using errcode = 'BR409',
            message = 'The item''s category was deleted, so the item cannot come back to the menu.',
            hint = 'category_deleted';
    end if;
    update app.items as i
    set deleted_at = null
    where i.restaurant_id = v_item.restaurant_id and i.id = v_item.id
    returning i.* into v_item;
    if not found then
        raise exception using errcode = 'BR403', message = 'Only owners and managers edit the menu.',
            hint = 'forbidden';
    end if;
    return app.item_json(v_item);
end;
$$;
comment on function api.restore_item(uuid) is
'Undo the soft delete of a menu item (owner, manager).';
revoke all on function api.restore_item(uuid) from public;
grant execute on function api.restore_item(uuid) to staff;
