create or replace function api.open_table_session(qr_token text, client_ip text default null)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_wait integer := app_private.rate_limit('qr_ip', coalesce(open_table_session.client_ip, 'unknown'));
    v_table app.dining_tables;
    v_branch app.branches;
    v_session uuid;
    v_status integer := 200;
begin
    if v_wait > 0 then
        return app_private.problem(429, 'rate_limited', 'Too many scans.', v_wait);
    end if;
    select t.* into v_table
    from app.dining_tables as t
    inner join app.restaurants as r on t.restaurant_id = r.id
    where t.qr_token = open_table_session.qr_token and t.deleted_at is null and r.status = 'active';
    select b.* into v_branch
    from app.branches as b
    where b.restaurant_id = v_table.restaurant_id and b.id = v_table.branch_id and b.deleted_at is null;
    if v_table.id is null or v_branch.id is null then
        return app_private.problem(404, 'not_found', 'No such table.');
    end if;

    select s.id into v_session
    from app.table_sessions as s
    where s.restaurant_id = v_table.restaurant_id and s.table_id = v_table.id and s.closed_at is null;
    if v_session is null then
        if v_branch.qr_requires_open_table then
            return app_private.problem(
                409, 'table_not_open', 'Please ask your waiter to open the table.'
            );
        end if;
        -- Two guests scanning at once: the partial unique index lets one insert win.
        insert into app.table_sessions (restaurant_id, branch_id, table_id)
        values (v_table.restaurant_id, v_table.branch_id, v_table.id)
        on conflict (restaurant_id, table_id) where closed_at is null do nothing
        returning id into v_session;
        if v_session is null then
            select s.id into v_session
            from app.table_sessions as s
            where s.restaurant_id = v_table.restaurant_id and s.table_id = v_table.id
                and s.closed_at is null;
        else
            v_status := 201;
        end if;
    end if;
    return jsonb_build_object(
        'status', v_status,
        'ttl', 14400,
        'claims', jsonb_build_object(
            'sub', v_session,
            'role', 'customer',
            'app_role', 'customer',
            'restaurant_id', v_table.restaurant_id,
            'branch_id', v_table.branch_id,
            'session_id', v_session,
            'table_id', v_table.id
        ),
        'body', jsonb_build_object(
            'session_id', v_session,
            'table', jsonb_build_object('id', v_table.id, 'label', v_table.label),
            'branch_id', v_table.branch_id,
            'restaurant_id', v_table.restaurant_id
        )
    );
end;
$$;
comment on function api.open_table_session(text, text) is
'A guest scans a table''s QR code: opens its session or joins the open one, for a customer token.';
revoke all on function api.open_table_session(text, text) from public;
grant execute on function api.open_table_session(text, text) to anon, customer, staff, platform;
