create or replace function api.list_orders(
    branch_id uuid, status text default null, lim integer default 50, cursor uuid default null
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
    perform 1 from app.branches as b where b.id = list_orders.branch_id and b.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Branch not found.', hint = 'not_found';
    end if;
    if status is not null and status not in (
        'placed', 'accepted', 'preparing', 'ready', 'served', 'completed', 'cancelled', 'voided'
    ) then
        raise exception using errcode = 'BR422', message = 'status names no order state.',
            hint = 'validation_failed';
    end if;
    select coalesce(pg_catalog.jsonb_agg(app.order_json(x.o) order by (x.o).id), '[]'::jsonb)
    into v_items
    from (
        select o
        from app.orders as o
        where
            o.branch_id = list_orders.branch_id
            and (list_orders.status is null or o.status = list_orders.status)
            and (list_orders.cursor is null or o.id > list_orders.cursor)
        order by o.id
        limit list_orders.lim + 1
    ) as x;
    return app.page_json(v_items, lim);
end;
$$;
comment on function api.list_orders(uuid, text, integer, uuid) is
'List a branch''s orders, oldest first, optionally in one state (staff of that branch).';
revoke all on function api.list_orders(uuid, text, integer, uuid) from public;
grant execute on function api.list_orders(uuid, text, integer, uuid) to staff;
