create or replace function api.delete_category(category_id uuid)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_category app.categories;
begin
    select c.* into v_category
    from app.categories as c
    where c.id = delete_category.category_id and c.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Category not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers edit the menu.');
    -- Items never hang in a deleted category: move or delete them first. The row lock makes
    -- an item being added to it at the same moment (which shares the lock) wait or win.
    perform 1 from app.categories as c
    where c.restaurant_id = v_category.restaurant_id and c.id = v_category.id
    for update;
    if exists (
        select 1 from app.items as i
        where
            i.restaurant_id = v_category.restaurant_id
            and i.category_id = v_category.id
            and i.deleted_at is null
    ) then
        raise exception using errcode = 'BR409',
            message = 'The category still has items: move or delete them first.',
            hint = 'category_not_empty';
    end if;
    -- Soft delete: the row stays for history (and for the orders that name it).
    update app.categories as c
    set deleted_at = pg_catalog.now()
    where c.restaurant_id = v_category.restaurant_id and c.id = v_category.id;
    if not found then
        raise exception using errcode = 'BR403', message = 'Only owners and managers edit the menu.',
            hint = 'forbidden';
    end if;
end;
$$;
comment on function api.delete_category(uuid) is
'Soft-delete an empty menu category (owner, manager).';
revoke all on function api.delete_category(uuid) from public;
grant execute on function api.delete_category(uuid) to staff;
