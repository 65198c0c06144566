create or replace function api.revoke_device(device_id uuid)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_device app.devices;
begin
    select d.* into v_device from app.devices as d where d.id = revoke_device.device_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Device not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers revoke devices.');
    if v_device.revoked_at is not null then
        return;  -- already revoked: revoking twice changes nothing
    end if;
    -- Its tokens fail from the next request on: auth.assert_active() checks revoked_at.
    update app.devices as d
    set revoked_at = pg_catalog.now()
    where d.restaurant_id = v_device.restaurant_id and d.id = v_device.id;
    if not found then
        raise exception using errcode = 'BR403', message = 'Only owners and managers revoke devices.',
            hint = 'forbidden';
    end if;
end;
$$;
comment on function api.revoke_device(uuid) is
'Revoke a device: its tokens stop working at once (owner, manager).';
revoke all on function api.revoke_device(uuid) from public;
grant execute on function api.revoke_device(uuid) to staff;
