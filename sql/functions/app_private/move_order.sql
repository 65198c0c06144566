create or replace function app_private.move_order(
    o app.orders, to_status text, actor text, reason text default null
)
returns app.orders
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_order app.orders;
    v_ticket app.tickets;
    v_ticket_ids uuid [];
begin
    -- The transition must be a row of app_private.order_transitions for this actor; a manager
    -- may also do what any staff member may. The caller holds the order's row lock.
    if not exists (
        select 1 from app_private.order_transitions as x
        where
            x.from_status = o.status
            and x.to_status = move_order.to_status
            and (x.actor = move_order.actor or (x.actor = 'staff' and move_order.actor = 'manager'))
    ) then
        if exists (
            select 1 from app_private.order_transitions as x
            where x.from_status = o.status and x.to_status = move_order.to_status
                and x.actor <> 'system'
        ) then
            raise exception using errcode = 'BR403',
                message = pg_catalog.format('You may not move an order from %s to %s.', o.status, to_status),
                hint = 'forbidden';
        end if;
        raise exception using errcode = 'BR409',
            message = pg_catalog.format('An order cannot go from %s to %s.', o.status, to_status),
            hint = 'invalid_transition';
    end if;
    if to_status = 'voided' and (reason is null or pg_catalog.btrim(reason) = '' or length(reason) > 500) then
        raise exception using errcode = 'BR422',
            message = 'A void needs a reason of at most 500 characters.', hint = 'validation_failed';
    end if;
    update app.orders as x
    set
        status = move_order.to_status,
        void_reason = case when move_order.to_status = 'voided' then move_order.reason end,
        accepted_at = case
            when move_order.to_status = 'accepted' then pg_catalog.now() else x.accepted_at
        end,
        ready_at = case when move_order.to_status = 'ready' then pg_catalog.now() else x.ready_at end
    where x.restaurant_id = o.restaurant_id and x.id = o.id
    returning x.* into v_order;
    insert into app.order_status_changes (
        restaurant_id, order_id, branch_id, from_status, to_status, actor_user_id, actor_role, reason
    )
    values (
        o.restaurant_id, o.id, o.branch_id, o.status, move_order.to_status, auth.user_id(),
        case when move_order.actor = 'system' then 'system' else coalesce(auth.app_role(), 'system') end,
        move_order.reason
    );

    if to_status = 'accepted' then
        perform app_private.send_to_kitchen(v_order);
    elsif to_status in ('cancelled', 'voided') then
        -- What the kitchen already has is struck through on its screen, never dropped silently.
        with cancelled as (
            update app.order_items as i set status = 'cancelled'
            where i.restaurant_id = o.restaurant_id and i.order_id = o.id
                and i.status <> 'cancelled'
            returning i.ticket_id
        )

        select array_agg(distinct c.ticket_id) into v_ticket_ids from cancelled as c;
        for v_ticket in
            select t.* from app.tickets as t
            where t.restaurant_id = o.restaurant_id and t.id = any(v_ticket_ids)
            order by t.station_id
        loop
            v_ticket := app_private.refresh_ticket(v_ticket.restaurant_id, v_ticket.id);
            perform app_private.emit_ticket(v_ticket, 'ticket.updated');
        end loop;
    end if;
    perform app_private.emit_event(
        o.restaurant_id, o.branch_id, 'orders', 'order.status',
        pg_catalog.jsonb_build_object('order_id', o.id, 'status', move_order.to_status),
        session_id => o.session_id, order_id => o.id
    );
    return v_order;
end;
$$;
comment on function app_private.move_order(app.orders, text, text, text) is
'Moves an order along app_private.order_transitions, records who did it and announces it.';
revoke all on function app_private.move_order(app.orders, text, text, text) from public;
