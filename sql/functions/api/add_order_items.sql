create or replace function api.add_order_items(order_id uuid, body jsonb)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_order app.orders := app_private.lock_order(add_order_items.order_id);
    v_round integer;
begin
    if auth.claims() ->> 'role' <> 'staff' or auth.app_role() not in ('owner', 'manager', 'waiter') then
        raise exception using errcode = 'BR403',
            message = 'Front-of-house staff add to an order (guests place a new round).',
            hint = 'forbidden';
    end if;
    if v_order.status not in ('placed', 'accepted', 'preparing', 'ready') then
        raise exception using errcode = 'BR409',
            message = pg_catalog.format('A %s order takes no more items.', v_order.status),
            hint = 'invalid_transition';
    end if;
    if body is null or pg_catalog.jsonb_typeof(body) <> 'object' then
        raise exception using errcode = 'BR422', message = 'The body must be a JSON object.',
            hint = 'validation_failed';
    end if;
    perform app.require_keys(body, array['items']);
    select max(i.round) + 1 into v_round
    from app.order_items as i
    where i.restaurant_id = v_order.restaurant_id and i.order_id = v_order.id;
    perform app_private.add_order_lines(
        v_order, app_private.price_lines(v_order.restaurant_id, v_order.branch_id, body -> 'items'),
        v_round
    );
    v_order := app_private.reprice_order(v_order.restaurant_id, v_order.id);
    -- Only the new lines go to the kitchen (they are the only pending ones); an order the
    -- kitchen had finished is being prepared again.
    if v_order.status <> 'placed' then
        perform app_private.send_to_kitchen(v_order);
        v_order := app_private.follow_tickets(v_order);
    end if;
    return app.order_json(v_order);
end;
$$;
comment on function api.add_order_items(uuid, jsonb) is
'Staff add lines to an open order; only the new lines are sent to the kitchen.';
revoke all on function api.add_order_items(uuid, jsonb) from public;
grant execute on function api.add_order_items(uuid, jsonb) to staff;
