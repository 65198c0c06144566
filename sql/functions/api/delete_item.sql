create or replace function api.delete_item(item_id uuid)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_item app.items;
begin
    select i.* into v_item
    from app.items as i
    where i.id = delete_item.item_id and i.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Item not found.', hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers edit the menu.');
    -- Soft delete: the item leaves the menu, its row stays (orders name it) and can be restored.
    update app.items as i
    set deleted_at = pg_catalog.now()
    where i.restaurant_id = v_item.restaurant_id and i.id = v_item.id;
    if not found then
        raise exception using errcode = 'BR403', message = 'Only owners and managers edit the menu.',
            hint = 'forbidden';
    end if;
end;
$$;
comment on function api.delete_item(uuid) is
'Soft-delete a menu item; it can be restored (owner, manager).';
revoke all on function api.delete_item(uuid) from public;
grant execute on function api.delete_item(uuid) to staff;
