create or replace function app_private.staff_claims(
    user_id uuid, restaurant_id uuid, device_id uuid default null
)
returns jsonb
language sql
stable
set search_path = ''
as $$
    -- Claims of a member as the database sees them now: a removed member gets none.
    select jsonb_strip_nulls(jsonb_build_object(
        'sub', m.user_id,
        'role', 'staff',
        'app_role', m.role,
        'restaurant_id', m.restaurant_id,
        'branch_id', d.branch_id,
        'device_id', d.id,
        'branch_ids', case when d.id is null then (
            select jsonb_agg(mb.branch_id order by mb.branch_id)
            from app.membership_branches as mb
            where mb.restaurant_id = m.restaurant_id and mb.membership_id = m.id
        ) end
    ))
    from app.memberships as m
    inner join app.restaurants as r on m.restaurant_id = r.id
    left join app.devices as d
        on
            d.restaurant_id = m.restaurant_id
            and d.id = staff_claims.device_id
            and d.revoked_at is null
    where
        m.restaurant_id = staff_claims.restaurant_id
        and m.user_id = staff_claims.user_id
        and m.deleted_at is null
        and r.status = 'active'
        and (staff_claims.device_id is null or d.id is not null)
$$;
comment on function app_private.staff_claims(uuid, uuid, uuid) is
'Access-token claims of a staff member, optionally on a device; null when no longer allowed.';
revoke all on function app_private.staff_claims(uuid, uuid, uuid) from public;
