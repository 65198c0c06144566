create or replace function api.transition_order(
    order_id uuid, to_status text, reason text default null
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_order app.orders := app_private.lock_order(transition_order.order_id);
begin
    if auth.claims() ->> 'role' <> 'staff' then
        raise exception using errcode = 'BR403', message = 'Only staff move orders along.',
            hint = 'forbidden';
    end if;
    if to_status is null or to_status not in (
        'placed', 'accepted', 'preparing', 'ready', 'served', 'completed', 'cancelled', 'voided'
    ) then
        raise exception using errcode = 'BR422', message = 'to names no order state.',
            hint = 'validation_failed';
    end if;
    v_order := app_private.move_order(v_order, to_status, app_private.order_actor(), reason);
    return app.order_json(v_order);
end;
$$;
comment on function api.transition_order(uuid, text, text) is
'Move an order to another state along the transition table (staff; voids by managers, with a reason).';
revoke all on function api.transition_order(uuid, text, text) from public;
grant execute on function api.transition_order(uuid, text, text) to staff;
