create or replace function app_private.lock_order(order_id uuid)
returns app.orders
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_order app.orders := app_private.order_in_reach(lock_order.order_id);
begin
    -- Lock order: the order first, then its tickets, then the branch's event head (emitted
    -- last). Every writer follows it, so two writers of one order never deadlock.
    select o.* into v_order
    from app.orders as o
    where o.restaurant_id = v_order.restaurant_id and o.id = v_order.id
    for update;
    return v_order;
end;
$$;
comment on function app_private.lock_order(uuid) is
'order_in_reach, then the order row locked FOR UPDATE (first lock of every order writer).';
revoke all on function app_private.lock_order(uuid) from public;
