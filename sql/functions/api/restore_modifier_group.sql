create or replace function api.restore_modifier_group(group_id uuid)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_group app.modifier_groups;
begin
    select g.* into v_group
    from app.modifier_groups as g
    where g.id = restore_modifier_group.group_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Modifier group not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers edit the menu.');
    update app.modifier_groups as g
    set deleted_at = null
    where g.restaurant_id = v_group.restaurant_id and g.id = v_group.id
    returning g.* into v_group;
    if not found then
        raise exception using errcode = 'BR403', message = 'Only owners and managers edit the menu.',
            hint = 'forbidden';
    end if;
    return app.modifier_group_json(v_group);
end;
$$;
comment on function api.restore_modifier_group(uuid) is
'Undo the soft delete of a modifier group (owner, manager); restoring twice is harmless.';
revoke all on function api.restore_modifier_group(uuid) from public;
grant execute on function api.restore_modifier_group(uuid) to staff;
