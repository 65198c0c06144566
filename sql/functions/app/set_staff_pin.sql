create or replace function app.set_staff_pin(membership_id uuid, pin text)
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
    v_hash bytea;
begin
    -- Definer (RLS bypassed, app_private reachable): every check RLS would make is spelled out.
    select m.role into v_target_role
    from app.memberships as m
    where
        m.restaurant_id = v_restaurant_id
        and m.id = set_staff_pin.membership_id
        and m.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Staff member not found.',
            hint = 'not_found';
    end if;
    if v_caller is null or v_caller not in ('owner', 'manager')
        or (v_target_role = 'owner' and v_caller <> 'owner') then
        raise exception using errcode = 'BR403',
            message = 'Only owners and managers set PINs, and only an owner sets an owner''s.',
            hint = 'forbidden';
    end if;
    if set_staff_pin.pin is null then
        delete from app_private.staff_pins as p
        where p.restaurant_id = v_restaurant_id and p.membership_id = set_staff_pin.membership_id;
        return;
    end if;
    if set_staff_pin.pin !~ '^[0-9]{4,8}$' then
        raise exception using errcode = 'BR422', message = 'pin must be 4 to 8 digits.',
            hint = 'validation_failed';
    end if;
    -- Salted with the restaurant, so the same PIN in two restaurants gives two hashes.
    v_hash := extensions.digest(v_restaurant_id::text || ':' || set_staff_pin.pin, 'sha256');
    if exists (
        select 1
        from app_private.staff_pins as p
        where
            p.restaurant_id = v_restaurant_id
            and p.pin_hash = v_hash
            and p.membership_id <> set_staff_pin.membership_id
    ) then
        raise exception using errcode = 'BR409',
            message = 'Another staff member of this restaurant has this PIN.', hint = 'pin_taken';
    end if;
    begin
        insert into app_private.staff_pins (restaurant_id, membership_id, pin_hash)
        values (v_restaurant_id, set_staff_pin.membership_id, v_hash)
        on conflict on constraint staff_pins_pkey do update set pin_hash = excluded.pin_hash;
    exception when unique_violation then
        -- A concurrent request took the same PIN between the check and the insert.
        raise exception using errcode = 'BR409',
            message = 'Another staff member of this restaurant has this PIN.', hint = 'pin_taken';
    end;
end;
$$;
comment on function app.set_staff_pin(uuid, text) is
'Sets (or, with null, removes) a staff member''s PIN; the one door to app_private.staff_pins.';
revoke all on function app.set_staff_pin(uuid, text) from public;
grant execute on function app.set_staff_pin(uuid, text) to staff;
