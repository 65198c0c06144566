create or replace function api.open_table(table_id uuid)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_table app.dining_tables;
    v_session app.table_sessions;
begin
    select t.* into v_table
    from app.dining_tables as t
    inner join app.branches as b on t.restaurant_id = b.restaurant_id and t.branch_id = b.id
    where t.id = open_table.table_id and t.deleted_at is null and b.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Table not found.', hint = 'not_found';
    end if;
    if (select auth.app_role()) is null
        or (select auth.app_role()) not in ('owner', 'manager', 'waiter') then
        raise exception using errcode = 'BR403', message = 'Only front-of-house staff open tables.',
            hint = 'forbidden';
    end if;
    if exists (
        select 1 from app.table_sessions as s
        where
            s.restaurant_id = v_table.restaurant_id
            and s.table_id = v_table.id
            and s.closed_at is null
    ) then
        raise exception using errcode = 'BR409', message = 'This table already has an open session.',
            hint = 'table_already_open';
    end if;
    begin
        insert into app.table_sessions (restaurant_id, branch_id, table_id, opened_by)
        values (v_table.restaurant_id, v_table.branch_id, v_table.id, (select auth.user_id()))
        returning * into v_session;
    exception when unique_violation then
        -- Opened by someone else (or a guest's scan) between the check and the insert.
        raise exception using errcode = 'BR409',
            message = 'This table already has an open session.', hint = 'table_already_open';
    end;
    return app.session_json(v_session);
end;
$$;
comment on function api.open_table(uuid) is
'Open a session at a table, as staff (owner, manager, waiter).';
revoke all on function api.open_table(uuid) from public;
grant execute on function api.open_table(uuid) to staff;
