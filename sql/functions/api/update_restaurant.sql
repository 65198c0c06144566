create or replace function api.update_restaurant(restaurant_id uuid, patch jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_row app.restaurants;
begin
    perform app.require_keys(
        patch,
        array['name', 'currency', 'timezone', 'locale', 'tax_rate_bp', 'tax_inclusive', 'service_charge_bp']
    );
    perform 1 from app.restaurants as r where r.id = update_restaurant.restaurant_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Restaurant not found.',
            hint = 'not_found';
    end if;
    if patch ? 'timezone' and not exists (
        select 1 from pg_catalog.pg_timezone_names as z where z.name = patch ->> 'timezone'
    ) then
        raise exception using errcode = 'BR422', message = 'Unknown time zone.',
            hint = 'validation_failed';
    end if;
    update app.restaurants as r
    set
        name = coalesce(patch ->> 'name', r.name),
        currency = coalesce(patch ->> 'currency', r.currency),
        timezone = coalesce(patch ->> 'timezone', r.timezone),
        locale = coalesce(patch ->> 'locale', r.locale),
        -- Orders keep the rates they were priced with: a change applies to new orders only.
        tax_rate_bp = coalesce(app.integer_field(patch, 'tax_rate_bp', 0, 10000), r.tax_rate_bp),
        tax_inclusive = coalesce(app.boolean_field(patch, 'tax_inclusive'), r.tax_inclusive),
        service_charge_bp = coalesce(
            app.integer_field(patch, 'service_charge_bp', 0, 10000), r.service_charge_bp
        )
    where r.id = update_restaurant.restaurant_id
    returning r.* into v_row;
    if not found then
        raise exception using errcode = 'BR403', message = 'Only the owner edits the restaurant.',
            hint = 'forbidden';
    end if;
    return app.restaurant_json(v_row);
end;
$$;
comment on function api.update_restaurant(uuid, jsonb) is
'Change a restaurant''s name, currency, time zone, locale, tax or service charge (owner).';
revoke all on function api.update_restaurant(uuid, jsonb) from public;
grant execute on function api.update_restaurant(uuid, jsonb) to staff;
