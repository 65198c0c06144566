create or replace function api.pin_login(device_token text, pin text, client_ip text default null)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_wait integer := app_private.rate_limit('pin_ip', coalesce(pin_login.client_ip, 'unknown'));
    v_device app.devices;
    v_member app.memberships;
    v_user app.users;
    v_claims jsonb;
begin
    if v_wait > 0 then
        return app_private.problem(429, 'rate_limited', 'Too many PIN attempts.', v_wait);
    end if;
    select d.* into v_device
    from app_private.device_secrets as s
    inner join app.devices as d on s.restaurant_id = d.restaurant_id and s.device_id = d.id
    where s.token_hash = app_private.sha256(pin_login.device_token) and d.revoked_at is null
    for update of d;
    if not found then
        return app_private.problem(401, 'invalid_device', 'This device is not registered.');
    end if;
    if v_device.locked_until > now() then
        return app_private.problem(
            429, 'device_locked', 'Too many wrong PINs; this device is locked for a while.',
            ceil(extract(epoch from v_device.locked_until - now()))::integer
        );
    end if;

    -- The PIN names one member of the device's restaurant whose scope covers its branch.
    select m.* into v_member
    from app_private.staff_pins as p
    inner join app.memberships as m on p.restaurant_id = m.restaurant_id and p.membership_id = m.id
    where p.restaurant_id = v_device.restaurant_id
        and p.pin_hash = extensions.digest(v_device.restaurant_id::text || ':' || coalesce(pin_login.pin, ''), 'sha256')
        and m.deleted_at is null
        and (
            not exists (
                select 1 from app.membership_branches as mb
                where mb.restaurant_id = m.restaurant_id and mb.membership_id = m.id
            )
            or exists (
                select 1 from app.membership_branches as mb
                where mb.restaurant_id = m.restaurant_id and mb.membership_id = m.id
                    and mb.branch_id = v_device.branch_id
            )
        );
    if not found then
        -- Five wrong PINs in a row lock the device for 15 minutes.
        update app.devices as d
        set
            failed_pins = case when d.failed_pins + 1 >= 5 then 0 else d.failed_pins + 1 end,
            locked_until = case when d.failed_pins + 1 >= 5 then now() + interval '15 minutes' end
        where d.restaurant_id = v_device.restaurant_id and d.id = v_device.id;
        return app_private.problem(401, 'invalid_pin', 'Wrong PIN.');
    end if;

    update app.devices as d set failed_pins = 0, locked_until = null, last_seen_at = now()
    where d.restaurant_id = v_device.restaurant_id and d.id = v_device.id;
    v_claims := app_private.staff_claims(v_member.user_id, v_member.restaurant_id, v_device.id);
    if v_claims is null then
        return app_private.problem(401, 'invalid_pin', 'Wrong PIN.');
    end if;
    select u.* into v_user from app.users as u where u.id = v_member.user_id;
    return jsonb_build_object(
        'status', 200,
        'claims', v_claims,
        'refresh_token', app_private.issue_refresh_token(
            v_member.user_id, v_member.restaurant_id, v_claims
        ),
        'body', jsonb_build_object(
            'staff', jsonb_build_object('id', v_member.id, 'name', v_user.name, 'role', v_member.role),
            'branch_id', v_device.branch_id,
            'device_id', v_device.id
        )
    );
end;
$$;
comment on function api.pin_login(text, text, text) is
'Staff sign in on a registered device with their PIN; the token is bound to device and branch.';
revoke all on function api.pin_login(text, text, text) from public;
grant execute on function api.pin_login(text, text, text) to anon, customer, staff, platform;
