create or replace function api.close_table_session(session_id uuid)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_session app.table_sessions;
begin
    select s.* into v_session
    from app.table_sessions as s
    where s.id = close_table_session.session_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Table session not found.',
            hint = 'not_found';
    end if;
    if (select auth.app_role()) is null
        or (select auth.app_role()) not in ('owner', 'manager', 'waiter') then
        raise exception using errcode = 'BR403', message = 'Only front-of-house staff close tables.',
            hint = 'forbidden';
    end if;
    -- Closed sessions keep their history; their guests' tokens stop working (assert_active).
    update app.table_sessions as s
    set closed_at = pg_catalog.now(), closed_by = (select auth.user_id())
    where
        s.restaurant_id = v_session.restaurant_id
        and s.id = v_session.id
        and s.closed_at is null
    returning s.* into v_session;
    if not found then
        raise exception using errcode = 'BR409', message = 'This table session is already closed.',
            hint = 'session_already_closed';
    end if;
    return app.session_json(v_session);
end;
$$;
comment on function api.close_table_session(uuid) is
'Close a table session; its guests'' tokens stop working (owner, manager, waiter).';
revoke all on function api.close_table_session(uuid) from public;
grant execute on function api.close_table_session(uuid) to staff;
