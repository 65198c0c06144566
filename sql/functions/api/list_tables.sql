create or replace function api.list_tables(
    branch_id uuid, lim integer default 50, cursor uuid default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_branch app.branches;
    v_items jsonb;
begin
    perform app.require_limit(lim);
    -- Any staff member in the branch's scope may read them (waiters open tables from here).
    select b.* into v_branch
    from app.branches as b
    where b.id = list_tables.branch_id and b.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Branch not found.',
            hint = 'not_found';
    end if;
    select
        coalesce(
            pg_catalog.jsonb_agg(app.table_json(x.t, x.open_session_id) order by (x.t).id),
            '[]'::jsonb
        )
    into v_items
    from (
        select
            t,
            (
                select s.id from app.table_sessions as s
                where
                    s.restaurant_id = t.restaurant_id
                    and s.table_id = t.id
                    and s.closed_at is null
            ) as open_session_id
        from app.dining_tables as t
        where
            t.restaurant_id = v_branch.restaurant_id
            and t.branch_id = v_branch.id
            and t.deleted_at is null
            and (list_tables.cursor is null or t.id > list_tables.cursor)
        order by t.id
        limit list_tables.lim + 1
    ) as x;
    return app.page_json(v_items, lim);
end;
$$;
comment on function api.list_tables(uuid, integer, uuid) is
'List the tables of a branch with their QR tokens and open sessions (staff of that branch).';
revoke all on function api.list_tables(uuid, integer, uuid) from public;
grant execute on function api.list_tables(uuid, integer, uuid) to staff;
