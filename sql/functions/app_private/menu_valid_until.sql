create or replace function app_private.menu_valid_until(branch_id uuid)
returns timestamptz
language sql
stable
set search_path = ''
as $$
    -- The next moment an item's time window opens or closes: the cached menu is stale then.
    with branch as (
        select b.restaurant_id, coalesce(b.timezone, r.timezone) as tz
        from app.branches as b
        inner join app.restaurants as r on b.restaurant_id = r.id
        where b.id = menu_valid_until.branch_id
    ),

    boundaries as (
        select distinct unnest(array[i.available_from, i.available_until]) as at_time, branch.tz
        from app.items as i
        inner join branch on i.restaurant_id = branch.restaurant_id
        where i.available_from is not null and i.deleted_at is null
    )

    select min(
        case
            when (now() at time zone tz)::date + at_time > now() at time zone tz
                then ((now() at time zone tz)::date + at_time) at time zone tz
            else ((now() at time zone tz)::date + 1 + at_time) at time zone tz
        end
    )
    from boundaries
$$;
comment on function app_private.menu_valid_until(uuid) is
'When the next time window of a branch''s menu opens or closes (null when it has none).';
revoke all on function app_private.menu_valid_until(uuid) from public;
