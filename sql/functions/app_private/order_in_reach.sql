create or replace function app_private.order_in_reach(order_id uuid)
returns app.orders
language plpgsql
stable
set search_path = ''
as $$
declare
    v_order app.orders;
begin
    -- For SECURITY DEFINER callers (which bypass RLS): the order as the claims may reach it,
    -- the same rows the select policies of app.orders allow. Anything else is a 404.
    select o.* into v_order
    from app.orders as o
    where
        o.restaurant_id = auth.restaurant_id()
        and o.id = order_in_reach.order_id
        and app_private.claims_reach(o.branch_id, o.session_id);
    if not found then
        raise exception using errcode = 'BR404', message = 'Order not found.', hint = 'not_found';
    end if;
    return v_order;
end;
$$;
comment on function app_private.order_in_reach(uuid) is
'The order if the request''s claims reach it (guest: own session; staff: branch scope), else 404.';
revoke all on function app_private.order_in_reach(uuid) from public;
