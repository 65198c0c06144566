create or replace function app.ticket_json(t app.tickets)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
    return (
        select pg_catalog.jsonb_build_object(
            'id', t.id,
            'order_id', t.order_id,
            'order_number', o.number,
            'station_id', t.station_id,
            'status', t.status,
            'rush', t.rush,
            'table_label', dt.label,
            'items', coalesce((
                select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                    'id', i.id,
                    'name', i.name,
                    'quantity', i.quantity,
                    -- The kitchen needs what to make, not what it costs.
                    'options', (
                        select coalesce(
                            pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('id', x ->> 'id', 'name', x ->> 'name')),
                            '[]'::jsonb
                        )
                        from pg_catalog.jsonb_array_elements(i.options) as x
                    ),
                    'note', i.note,
                    'course', i.course,
                    'status', i.status
                ) order by i.course, i.round, i.position)
                from app.order_items as i
                where i.restaurant_id = t.restaurant_id and i.ticket_id = t.id
            ), '[]'::jsonb),
            'created_at', t.created_at,
            'started_at', t.started_at,
            'ready_at', t.ready_at,
            'elapsed_seconds', pg_catalog.floor(
                extract(epoch from coalesce(t.ready_at, pg_catalog.now()) - t.created_at)
            )::integer,
            'target_seconds', st.target_seconds
        )
        from app.orders as o
        inner join app.stations as st on st.restaurant_id = t.restaurant_id and st.id = t.station_id
        left join app.table_sessions as s
            on s.restaurant_id = o.restaurant_id and s.id = o.session_id
        left join app.dining_tables as dt
            on dt.restaurant_id = s.restaurant_id and dt.id = s.table_id
        where o.restaurant_id = t.restaurant_id and o.id = t.order_id
    );
end;
$$;
comment on function app.ticket_json(app.tickets) is
'The API shape of a kitchen ticket (API.md, Kitchen): items, options, timers, no prices.';
revoke all on function app.ticket_json(app.tickets) from public;
grant execute on function app.ticket_json(app.tickets) to staff;
