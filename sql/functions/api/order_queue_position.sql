create or replace function api.order_queue_position(order_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    v_order app.orders := app_private.order_in_reach(order_queue_position.order_id);
    v_ahead integer;
    v_prep_seconds integer;
begin
    -- Position: orders of the branch the kitchen has that were placed before this one, plus one.
    -- Wait: the median prep time (accepted to ready) of the branch's last 50 orders of the
    -- past day (else the default station's target), less the time this one has had.
    if v_order.status not in ('placed', 'accepted', 'preparing') then
        return pg_catalog.jsonb_build_object(
            'order_id', v_order.id, 'status', v_order.status, 'position', 0,
            'estimated_wait_seconds', 0
        );
    end if;
    select count(*)::integer into v_ahead
    from app.orders as o
    where
        o.restaurant_id = v_order.restaurant_id
        and o.branch_id = v_order.branch_id
        and o.status in ('accepted', 'preparing')
        -- Numbers, not ids: an id is made before the order waits for its number.
        and (o.business_date, o.number) < (v_order.business_date, v_order.number);
    select coalesce(
        (
            select percentile_cont(0.5) within group (
                order by extract(epoch from r.ready_at - r.accepted_at)
            )::integer
            from (
                select o.ready_at, o.accepted_at
                from app.orders as o
                where
                    o.restaurant_id = v_order.restaurant_id
                    and o.branch_id = v_order.branch_id
                    and o.status in ('ready', 'served', 'completed')
                    and o.ready_at > pg_catalog.now() - interval '1 day'
                    and o.accepted_at is not null
                order by o.ready_at desc
                limit 50
            ) as r
        ),
        (
            select st.target_seconds from app.stations as st
            where st.restaurant_id = v_order.restaurant_id and st.branch_id = v_order.branch_id
            order by st.is_default desc, st.created_at
            limit 1
        ),
        600
    ) into v_prep_seconds;
    return pg_catalog.jsonb_build_object(
        'order_id', v_order.id,
        'status', v_order.status,
        'position', v_ahead + 1,
        'estimated_wait_seconds', greatest(
            0,
            v_prep_seconds - coalesce(
                extract(epoch from pg_catalog.now() - v_order.accepted_at)::integer, 0
            )
        )
    );
end;
$$;
comment on function api.order_queue_position(uuid) is
'A guest''s place in the kitchen''s queue and estimated wait, from the branch''s recent prep times.';
revoke all on function api.order_queue_position(uuid) from public;
grant execute on function api.order_queue_position(uuid) to customer, staff;
