create or replace function app.station_json(s app.stations)
returns jsonb
language sql
stable
set search_path = ''
as $$
    -- category_ids: the menu categories whose items this station prepares (ticket routing).
    select pg_catalog.jsonb_build_object(
        'id', s.id,
        'branch_id', s.branch_id,
        'name', s.name,
        'is_default', s.is_default,
        'target_seconds', s.target_seconds,
        'category_ids', coalesce(
            (
                select pg_catalog.jsonb_agg(sc.category_id order by sc.category_id)
                from app.station_categories as sc
                where sc.restaurant_id = s.restaurant_id and sc.station_id = s.id
            ),
            '[]'::jsonb
        ),
        'created_at', s.created_at
    )
$$;
comment on function app.station_json(app.stations) is
'The API shape of a kitchen station, in one place for every function that returns one.';
revoke all on function app.station_json(app.stations) from public;
grant execute on function app.station_json(app.stations) to staff, platform;
