create or replace function app_private.follow_tickets(o app.orders)
returns app.orders
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_target text;
begin
    -- The kitchen drives an accepted order: preparing once a line is started, ready once
    -- every live ticket is ready, back to preparing on a recall or a new round.
    if o.status not in ('accepted', 'preparing', 'ready') then
        return o;
    end if;
    select case
        when count(*) = 0 then null
        when bool_and(t.status = 'ready') then 'ready'
        when exists (
            select 1 from app.order_items as i
            where i.restaurant_id = o.restaurant_id and i.order_id = o.id
                and i.status in ('in_progress', 'ready')
        ) or o.status = 'ready' then 'preparing'
    end
    into v_target
    from app.tickets as t
    where t.restaurant_id = o.restaurant_id and t.order_id = o.id and t.status <> 'cancelled';
    if v_target is null or v_target = o.status then
        return o;
    end if;
    return app_private.move_order(o, v_target, 'system');
end;
$$;
comment on function app_private.follow_tickets(app.orders) is
'Moves an accepted order to preparing or ready as its tickets progress.';
revoke all on function app_private.follow_tickets(app.orders) from public;
