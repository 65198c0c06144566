create or replace function api.get_restaurant(restaurant_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_row app.restaurants;
begin
    -- RLS decides visibility (another tenant: 404); the role decides permission (403).
    select r.* into v_row from app.restaurants as r where r.id = get_restaurant.restaurant_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Restaurant not found.',
            hint = 'not_found';
    end if;
    if (select auth.app_role()) not in ('owner', 'manager', 'platform_admin') then
        raise exception using errcode = 'BR403', message = 'Only owners and managers read this.',
            hint = 'forbidden';
    end if;
    return app.restaurant_json(v_row);
end;
$$;
comment on function api.get_restaurant(uuid) is 'Read a restaurant (owner, manager).';
revoke all on function api.get_restaurant(uuid) from public;
grant execute on function api.get_restaurant(uuid) to staff, platform;
