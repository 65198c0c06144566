create or replace function api.cancel_order_item(order_id uuid, order_item_id uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_order app.orders := app_private.lock_order(cancel_order_item.order_id);
    v_line app.order_items;
    v_ticket app.tickets;
    v_actor text := app_private.order_actor();
begin
    select i.* into v_line
    from app.order_items as i
    where i.restaurant_id = v_order.restaurant_id and i.order_id = v_order.id
        and i.id = cancel_order_item.order_item_id
    for update;
    if not found then
        raise exception using errcode = 'BR404', message = 'Order line not found.',
            hint = 'not_found';
    end if;
    if v_order.status not in ('placed', 'accepted', 'preparing', 'ready')
        or v_line.status in ('ready', 'cancelled')
        or (v_actor = 'customer' and v_order.status <> 'placed') then
        raise exception using errcode = 'BR409',
            message = pg_catalog.format('This line cannot be cancelled (order %s, line %s).', v_order.status, v_line.status),
            hint = 'invalid_transition';
    end if;
    update app.order_items as i set status = 'cancelled'
    where i.restaurant_id = v_line.restaurant_id and i.id = v_line.id;
    v_order := app_private.reprice_order(v_order.restaurant_id, v_order.id);
    -- The station that has it sees it struck through.
    if v_line.ticket_id is not null then
        v_ticket := app_private.refresh_ticket(v_line.restaurant_id, v_line.ticket_id);
        perform app_private.emit_ticket(v_ticket, 'ticket.updated');
    end if;
    if not exists (
        select 1 from app.order_items as i
        where i.restaurant_id = v_order.restaurant_id and i.order_id = v_order.id
            and i.status <> 'cancelled'
    ) then
        -- Nothing left to make or to charge. Once the kitchen has started, that is not the
        -- caller's cancel of the order (only a void is) but the system's.
        v_order := app_private.move_order(
            v_order, 'cancelled',
            case when v_order.status in ('placed', 'accepted') then v_actor else 'system' end
        );
    else
        v_order := app_private.follow_tickets(v_order);
    end if;
    return app.order_json(v_order);
end;
$$;
comment on function api.cancel_order_item(uuid, uuid) is
'Cancel one line of an open order (its guest while placed; staff until it is ready).';
revoke all on function api.cancel_order_item(uuid, uuid) from public;
grant execute on function api.cancel_order_item(uuid, uuid) to customer, staff;
