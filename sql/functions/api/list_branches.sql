create or replace function api.list_branches(
    restaurant_id uuid,
    lim integer default 50,
    cursor uuid default null,
    include_deleted boolean default false
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_items jsonb;
begin
    perform app.require_limit(lim);
    perform 1 from app.restaurants as r where r.id = list_branches.restaurant_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Restaurant not found.',
            hint = 'not_found';
    end if;
    -- RLS narrows the rows to the caller's branch scope; deleted ones only the owner sees.
    select coalesce(pg_catalog.jsonb_agg(app.branch_json(x.b) order by (x.b).id), '[]'::jsonb)
    into v_items
    from (
        select b
        from app.branches as b
        where
            b.restaurant_id = list_branches.restaurant_id
            and (list_branches.include_deleted or b.deleted_at is null)
            and (list_branches.cursor is null or b.id > list_branches.cursor)
        order by b.id
        limit list_branches.lim + 1
    ) as x;
    return app.page_json(v_items, lim);
end;
$$;
comment on function api.list_branches(uuid, integer, uuid, boolean) is
'List the branches of a restaurant the caller may see (staff).';
revoke all on function api.list_branches(uuid, integer, uuid, boolean) from public;
grant execute on function api.list_branches(uuid, integer, uuid, boolean) to staff;
