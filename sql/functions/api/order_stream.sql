create or replace function api.order_stream(order_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_order app.orders;
begin
    -- RLS decides: its session's guest or staff of its branch; anyone else: 404.
    select o.* into v_order from app.orders as o where o.id = order_stream.order_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Order not found.', hint = 'not_found';
    end if;
    return pg_catalog.jsonb_build_object(
        'restaurant_id', v_order.restaurant_id,
        'branch_id', v_order.branch_id,
        'order_id', v_order.id,
        'session_id', v_order.session_id,
        'status', v_order.status,
        'last_event_id', app.last_event_id(v_order.restaurant_id, v_order.branch_id)
    );
end;
$$;
comment on function api.order_stream(uuid) is
'Checks who may stream an order''s events and returns its routing keys and current event id.';
revoke all on function api.order_stream(uuid) from public;
grant execute on function api.order_stream(uuid) to customer, staff;
