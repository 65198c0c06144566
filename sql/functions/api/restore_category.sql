create or replace function api.restore_category(category_id uuid)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_category app.categories;
begin
    select c.* into v_category from app.categories as c where c.id = restore_category.category_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Category not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers edit the menu.');
    update app.categories as c
    set deleted_at = null
    where c.restaurant_id = v_category.restaurant_id and c.id = v_category.id
    returning c.* into v_category;
    if not found then
        raise exception using errcode = 'BR403', message = 'Only owners and managers edit the menu.',
            hint = 'forbidden';
    end if;
    return app.category_json(v_category);
end;
$$;
comment on function api.restore_category(uuid) is
'Undo the soft delete of a menu category (owner, manager); restoring twice is harmless.';
revoke all on function api.restore_category(uuid) from public;
grant execute on function api.restore_category(uuid) to staff;
