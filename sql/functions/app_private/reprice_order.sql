create or replace function app_private.reprice_order(restaurant_id uuid, order_id uuid)
returns app.orders
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_order app.orders;
    v_subtotal bigint;
    v_base bigint;
    v_service bigint;
    v_tax bigint;
begin
    -- Totals from the live lines and the rates fixed on the order when it was placed.
    -- Service charge is a share of the food after discount and is taxed like it; inclusive
    -- prices already hold the tax, so it is the part rate / (1 + rate) of what is charged.
    select o.* into v_order
    from app.orders as o
    where o.restaurant_id = reprice_order.restaurant_id and o.id = reprice_order.order_id;
    select coalesce(sum(i.unit_price::bigint * i.quantity), 0) into v_subtotal
    from app.order_items as i
    where
        i.restaurant_id = reprice_order.restaurant_id
        and i.order_id = reprice_order.order_id
        and i.status <> 'cancelled';
    -- Amounts are integers of minor units: 21 million in major units is the ceiling.
    if v_subtotal * (10000 + v_order.service_charge_bp) * (10000 + v_order.tax_rate_bp)
        > 2147483647::numeric * 10000 * 10000 then
        raise exception using errcode = 'BR422',
            message = 'This order is too large: split it into several orders.',
            hint = 'validation_failed';
    end if;
    v_base := greatest(v_subtotal - v_order.discount, 0);
    v_service := round(v_base * v_order.service_charge_bp / 10000.0);
    if v_order.tax_inclusive then
        v_tax := round((v_base + v_service) * v_order.tax_rate_bp / (10000.0 + v_order.tax_rate_bp));
    else
        v_tax := round((v_base + v_service) * v_order.tax_rate_bp / 10000.0);
    end if;
    update app.orders as o
    set
        subtotal = v_subtotal,
        service_charge = v_service,
        tax = v_tax,
        total = v_base + v_service + case when v_order.tax_inclusive then 0 else v_tax end
    where o.restaurant_id = reprice_order.restaurant_id and o.id = reprice_order.order_id
    returning o.* into v_order;
    return v_order;
end;
$$;
comment on function app_private.reprice_order(uuid, uuid) is
'Recomputes subtotal, service charge, tax and total of an order from its live lines.';
revoke all on function app_private.reprice_order(uuid, uuid) from public;
