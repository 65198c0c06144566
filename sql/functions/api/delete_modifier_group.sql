create or replace function api.delete_modifier_group(group_id uuid)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_group app.modifier_groups;
begin
    select g.* into v_group
    from app.modifier_groups as g
    where g.id = delete_modifier_group.group_id and g.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Modifier group not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers edit the menu.');
    update app.modifier_groups as g
    set deleted_at = pg_catalog.now()
    where g.restaurant_id = v_group.restaurant_id and g.id = v_group.id
    returning g.* into v_group;
    if not found then
        raise exception using errcode = 'BR403', message = 'Only owners and managers edit the menu.',
            hint = 'forbidden';
    end if;
    return;
end;
$$;
comment on function api.delete_modifier_group(uuid) is
'Soft-delete a modifier group: items stop offering it, orders keep their history (owner, manager).';
revoke all on function api.delete_modifier_group(uuid) from public;
grant execute on function api.delete_modifier_group(uuid) to staff;
