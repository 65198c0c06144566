create or replace function app.staff_json(m app.memberships)
returns jsonb
language sql
stable
set search_path = ''
as $$
    select pg_catalog.jsonb_build_object(
        'id', m.id,
        'user_id', m.user_id,
        'name', u.name,
        'email', u.email,
        'role', m.role,
        'branch_ids', coalesce(
            (
                select pg_catalog.jsonb_agg(mb.branch_id order by mb.branch_id)
                from app.membership_branches as mb
                where mb.restaurant_id = m.restaurant_id and mb.membership_id = m.id
            ),
            '[]'::jsonb
        ),
        'has_pin', app.staff_has_pin(m.id),
        'created_at', m.created_at
    )
    from (select 1) as one
    left join app.users as u on u.id = m.user_id
$$;
comment on function app.staff_json(app.memberships) is
'The API shape of a staff member (membership, person, branches, PIN set or not).';
revoke all on function app.staff_json(app.memberships) from public;
grant execute on function app.staff_json(app.memberships) to staff;
