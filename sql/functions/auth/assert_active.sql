create or replace function auth.assert_active()
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
    -- A staff token outlives neither the membership nor the role it was issued for, nor a
    -- suspension of the restaurant: removed or demoted staff lose access at once.
    if auth.claims() ->> 'role' = 'staff' and auth.restaurant_id() is not null and not exists (
        select 1
        from app.memberships as m
        inner join app.restaurants as r on m.restaurant_id = r.id
        where m.restaurant_id = auth.restaurant_id()
            and m.user_id = auth.user_id()
            and m.role = auth.app_role()
            and m.deleted_at is null
            and r.status = 'active'
    ) then
        raise exception using errcode = 'BR401',
            message = 'This membership changed or ended: sign in again.',
            hint = 'membership_changed';
    end if;
    -- A token outlives neither its device nor its table session.
    if auth.device_id() is not null and not exists (
        select 1
        from app.devices as d
        where d.restaurant_id = auth.restaurant_id()
            and d.id = auth.device_id()
            and d.revoked_at is null
    ) then
        raise exception using errcode = 'BR401', message = 'This device has been revoked.',
            hint = 'token_revoked';
    end if;
    if auth.session_id() is not null and not exists (
        select 1
        from app.table_sessions as s
        where s.restaurant_id = auth.restaurant_id()
            and s.id = auth.session_id()
            and s.closed_at is null
    ) then
        raise exception using errcode = 'BR401', message = 'This table session is closed.',
            hint = 'session_closed';
    end if;
end;
$$;
comment on function auth.assert_active() is
'Refuses a token whose membership, device or table session ended or changed (checked per request).';
revoke all on function auth.assert_active() from public;
grant execute on function auth.assert_active() to anon, customer, staff, platform;
