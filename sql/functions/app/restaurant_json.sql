create or replace function app.restaurant_json(r app.restaurants)
returns jsonb
language sql
stable
set search_path = ''
as $$
    select pg_catalog.jsonb_build_object(
        'id', r.id,
        'name', r.name,
        'slug', r.slug,
        'currency', r.currency,
        'timezone', r.timezone,
        'locale', r.locale,
        'tax_rate_bp', r.tax_rate_bp,
        'tax_inclusive', r.tax_inclusive,
        'service_charge_bp', r.service_charge_bp,
        'search_config', r.search_config::text,
        'plan', r.plan,
        'status', r.status,
        'created_at', r.created_at,
        'updated_at', r.updated_at
    )
$$;
comment on function app.restaurant_json(app.restaurants) is
'The API shape of a restaurant, in one place for every function that returns one.';
revoke all on function app.restaurant_json(app.restaurants) from public;
grant execute on function app.restaurant_json(app.restaurants) to staff, platform, customer;
