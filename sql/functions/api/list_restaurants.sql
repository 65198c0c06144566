create or replace function api.list_restaurants(lim integer default 50, cursor uuid default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_items jsonb;
    v_last uuid;
    v_limit integer := coalesce(list_restaurants.lim, 50);
begin
    if (select auth.app_role()) is distinct from 'platform_admin' then
        raise exception using errcode = 'BR403', message = 'Only platform admins list restaurants.',
            hint = 'forbidden';
    end if;
    if v_limit not between 1 and 200 then
        raise exception using errcode = 'BR422', message = 'limit must be 1..200.',
            hint = 'validation_failed';
    end if;
    with page as (
        select r.*
        from app.restaurants as r
        where list_restaurants.cursor is null or r.id > list_restaurants.cursor
        order by r.id
        limit v_limit
    )

    select
        jsonb_agg(
            app.restaurant_json(page) || jsonb_build_object(
                'branches', (
                    select count(*) from app.branches as b
                    where b.restaurant_id = page.id and b.deleted_at is null
                ),
                'staff', (
                    select count(*) from app.memberships as m
                    where m.restaurant_id = page.id and m.deleted_at is null
                ),
                'last_activity_at', (
                    select max(l.at) from audit.log as l where l.restaurant_id = page.id
                )
            )
            order by page.id
        ),
        max(page.id::text)::uuid
    into v_items, v_last
    from page;
    return jsonb_build_object(
        'items', coalesce(v_items, '[]'),
        'next_cursor', case when jsonb_array_length(coalesce(v_items, '[]')) = v_limit then v_last end
    );
end;
$$;
comment on function api.list_restaurants(integer, uuid) is
'Every restaurant with status, counts and last activity (platform admin).';
revoke all on function api.list_restaurants(integer, uuid) from public;
grant execute on function api.list_restaurants(integer, uuid) to platform;
