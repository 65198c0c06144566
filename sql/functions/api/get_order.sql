create or replace function api.get_order(order_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_order app.orders;
begin
    -- RLS decides: the guest of its session, or staff of its branch; anyone else: 404.
    select o.* into v_order from app.orders as o where o.id = get_order.order_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Order not found.', hint = 'not_found';
    end if;
    return app.order_json(v_order);
end;
$$;
comment on function api.get_order(uuid) is
'Read an order with its lines (its session''s guest, staff of its branch).';
revoke all on function api.get_order(uuid) from public;
grant execute on function api.get_order(uuid) to customer, staff;
