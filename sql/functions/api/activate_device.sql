create or replace function api.activate_device(
    activation_code text, name text, client_ip text default null
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_wait integer := app_private.rate_limit(
        'activation_ip', coalesce(activate_device.client_ip, 'unknown')
    );
    v_code app.device_codes;
    v_device uuid;
    v_token text := app_private.random_token(32);
begin
    if v_wait > 0 then
        return app_private.problem(429, 'rate_limited', 'Too many activation attempts.', v_wait);
    end if;
    if length(coalesce(trim(activate_device.name), '')) not between 1 and 60 then
        raise exception using errcode = 'BR422', message = 'name must be 1 to 60 characters.',
            hint = 'validation_failed';
    end if;
    select c.* into v_code
    from app.device_codes as c
    inner join app.branches as b on c.restaurant_id = b.restaurant_id and c.branch_id = b.id
    where c.code_hash = app_private.sha256(upper(trim(activate_device.activation_code)))
        and c.used_at is null
        and c.expires_at > now()
        and b.deleted_at is null
    for update of c;
    if not found then
        return app_private.problem(
            409, 'activation_code_invalid', 'This activation code is unknown, used or expired.'
        );
    end if;
    insert into app.devices (restaurant_id, branch_id, name)
    values (v_code.restaurant_id, v_code.branch_id, trim(activate_device.name))
    returning id into v_device;
    insert into app_private.device_secrets (restaurant_id, device_id, token_hash)
    values (v_code.restaurant_id, v_device, app_private.sha256(v_token));
    update app.device_codes as c set used_at = now(), device_id = v_device
    where c.restaurant_id = v_code.restaurant_id and c.id = v_code.id;
    return jsonb_build_object(
        'status', 201,
        'body', jsonb_build_object(
            'device_id', v_device, 'device_token', v_token, 'branch_id', v_code.branch_id
        )
    );
end;
$$;
comment on function api.activate_device(text, text, text) is
'Pin a KDS or POS device to the branch its single-use code was issued for.';
revoke all on function api.activate_device(text, text, text) from public;
grant execute on function api.activate_device(text, text, text) to anon, customer, staff, platform;
