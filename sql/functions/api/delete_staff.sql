create or replace function api.delete_staff(staff_id uuid)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_caller text := (select auth.app_role());
    v_member app.memberships;
begin
    select m.* into v_member
    from app.memberships as m
    where m.id = delete_staff.staff_id and m.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Staff member not found.',
            hint = 'not_found';
    end if;
    if v_caller is null or v_caller not in ('owner', 'manager')
        or (v_member.role = 'owner' and v_caller <> 'owner') then
        raise exception using errcode = 'BR403',
            message = 'Only owners and managers remove staff, and only an owner removes an owner.',
            hint = 'forbidden';
    end if;
    if v_member.role = 'owner' and not exists (
        select 1 from app.memberships as o
        where
            o.restaurant_id = v_member.restaurant_id
            and o.role = 'owner'
            and o.deleted_at is null
            and o.id <> v_member.id
    ) then
        raise exception using errcode = 'BR409', message = 'A restaurant keeps at least one owner.',
            hint = 'last_owner';
    end if;
    -- Soft delete and PIN removal in one door (app.remove_staff says why it is a definer).
    perform app.remove_staff(v_member.id);
end;
$$;
comment on function api.delete_staff(uuid) is
'Remove a staff member (soft) and their PIN (owner, manager).';
revoke all on function api.delete_staff(uuid) from public;
grant execute on function api.delete_staff(uuid) to staff;
