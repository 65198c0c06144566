create or replace function api.get_item(item_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_item app.items;
begin
    -- Every staff member reads the menu (RLS); a deleted item is shown, so it can be restored.
    select i.* into v_item from app.items as i where i.id = get_item.item_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Item not found.', hint = 'not_found';
    end if;
    return app.item_json(v_item);
end;
$$;
comment on function api.get_item(uuid) is 'Read a menu item, deleted or not (staff).';
revoke all on function api.get_item(uuid) from public;
grant execute on function api.get_item(uuid) to staff;
