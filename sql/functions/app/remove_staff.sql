create or replace function app.remove_staff(membership_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_restaurant_id uuid := auth.restaurant_id();
    v_caller text := auth.app_role();
    v_target_role text;
begin
    -- Definer, for two reasons: the PIN lives in app_private, and a removed membership is
    -- invisible to managers under RLS, so their UPDATE setting deleted_at would be refused
    -- as a new row they could not see. Every check RLS would make is spelled out here.
    select m.role into v_target_role
    from app.memberships as m
    where
        m.restaurant_id = v_restaurant_id
        and m.id = remove_staff.membership_id
        and m.deleted_at is null
    for update;
    if not found then
        raise exception using errcode = 'BR404', message = 'Staff member not found.',
            hint = 'not_found';
    end if;
    if v_caller is null or v_caller not in ('owner', 'manager')
        or (v_target_role = 'owner' and v_caller <> 'owner') then
        raise exception using errcode = 'BR403',
            message = 'Only owners and managers remove staff, and only an owner removes an owner.',
            hint = 'forbidden';
    end if;
    -- The PIN goes at once, so a removed person can no longer sign in on a device.
    delete from app_private.staff_pins as p
    where p.restaurant_id = v_restaurant_id and p.membership_id = remove_staff.membership_id;
    update app.memberships as m
    set deleted_at = pg_catalog.now()
    where m.restaurant_id = v_restaurant_id and m.id = remove_staff.membership_id;
end;
$$;
comment on function app.remove_staff(uuid) is
'Removes a staff member (soft) and their PIN; the one door that ends a membership.';
revoke all on function app.remove_staff(uuid) from public;
grant execute on function app.remove_staff(uuid) to staff;
