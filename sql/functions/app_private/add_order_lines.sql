create or replace function app_private.add_order_lines(o app.orders, priced jsonb, round integer)
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
    -- Lines priced by app_private.price_lines, as one round of the order.
    insert into app.order_items (
        restaurant_id, order_id, branch_id, session_id, item_id, category_id, name, quantity,
        unit_price, options, note, course, round, position
    )
    select
        o.restaurant_id, o.id, o.branch_id, o.session_id, l.item_id, l.category_id, l.name,
        l.quantity, l.unit_price, l.options, l.note, l.course, add_order_lines.round, l.position
    from pg_catalog.jsonb_to_recordset(priced) as l (
        item_id uuid, category_id uuid, name text, quantity integer, unit_price integer,
        options jsonb, note text, course integer, position integer
    );
end;
$$;
comment on function app_private.add_order_lines(app.orders, jsonb, integer) is
'Inserts lines priced by app_private.price_lines into an order, as one round.';
revoke all on function app_private.add_order_lines(app.orders, jsonb, integer) from public;
