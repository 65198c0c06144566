create or replace function api.cancel_order(order_id uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_order app.orders := app_private.lock_order(cancel_order.order_id);
begin
    -- The guest while it is placed; staff while placed or accepted (transition table).
    v_order := app_private.move_order(v_order, 'cancelled', app_private.order_actor());
    return app.order_json(v_order);
end;
$$;
comment on function api.cancel_order(uuid) is
'Cancel an order: its guest while placed, staff while placed or accepted.';
revoke all on function api.cancel_order(uuid) from public;
grant execute on function api.cancel_order(uuid) to customer, staff;
