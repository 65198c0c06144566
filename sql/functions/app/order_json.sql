create or replace function app.order_json(o app.orders)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
    return (
        select pg_catalog.jsonb_build_object(
            'id', o.id,
            'number', o.number,
            'status', o.status,
            'branch_id', o.branch_id,
            'session_id', o.session_id,
            'items', coalesce((
                select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                    'id', i.id,
                    'item_id', i.item_id,
                    'name', i.name,
                    'quantity', i.quantity,
                    'unit_price', i.unit_price,
                    'options', i.options,
                    'note', i.note,
                    'course', i.course,
                    'status', i.status
                ) order by i.round, i.position)
                from app.order_items as i
                where i.restaurant_id = o.restaurant_id and i.order_id = o.id
            ), '[]'::jsonb),
            'subtotal', o.subtotal,
            'discount', o.discount,
            'service_charge', o.service_charge,
            'tax', o.tax,
            'total', o.total,
            'tax_inclusive', o.tax_inclusive,
            'currency', o.currency,
            'void_reason', o.void_reason,
            'created_at', o.created_at,
            'updated_at', o.updated_at
        )
    );
end;
$$;
comment on function app.order_json(app.orders) is
'The API shape of an order with its lines as ordered (API.md, Orders).';
revoke all on function app.order_json(app.orders) from public;
grant execute on function app.order_json(app.orders) to staff, customer;
