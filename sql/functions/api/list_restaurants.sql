create or replace function api.list_restaurants(lim integer default 50, cursor uuid default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_items jsonb;
begin
    if (select auth.app_role()) is distinct from 'platform_admin' then
        raise exception using errcode = 'BR403', message = 'Only platform admins list restaurants.',
            hint = 'forbidden';
    end if;
    perform app.require_limit(lim);
    -- Counts are taken for the page only (lim + 1 rows: the extra one says "there is more").
    select
        coalesce(
            pg_catalog.jsonb_agg(
                app.restaurant_json(x.r) || pg_catalog.jsonb_build_object(
                    'branches', (
                        select count(*) from app.branches as b
                        where b.restaurant_id = (x.r).id and b.deleted_at is null
                    ),
                    'staff', (
                        select count(*) from app.memberships as m
                        where m.restaurant_id = (x.r).id and m.deleted_at is null
                    ),
                    'last_activity_at', (
                        select max(l.at) from audit.log as l where l.restaurant_id = (x.r).id
                    )
                )
                order by (x.r).id
            ),
            '[]'::jsonb
        )
    into v_items
    from (
        select r
        from app.restaurants as r
        where list_restaurants.cursor is null or r.id > list_restaurants.cursor
        order by r.id
        limit list_restaurants.lim + 1
    ) as x;
    return app.page_json(v_items, lim);
end;
$$;
comment on function api.list_restaurants(integer, uuid) is
'Every restaurant with status, counts and last activity (platform admin).';
revoke all on function api.list_restaurants(integer, uuid) from public;
grant execute on function api.list_restaurants(integer, uuid) to platform;
