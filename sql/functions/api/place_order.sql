create or replace function api.place_order(
    session_id uuid, body jsonb, idempotency_key text default null
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_session app.table_sessions;
    v_restaurant app.restaurants;
    v_business_date date;
    v_number integer;
    v_order app.orders;
    v_order_id uuid := app.uuid7();
    v_hash bytea;
    v_key app_private.idempotency_keys;
    v_priced jsonb;
    v_auto_accept boolean;
    v_principal uuid := coalesce(auth.session_id(), auth.user_id());
begin
    -- The table's guest, or front-of-house staff of its branch; anyone else: 404.
    select s.* into v_session
    from app.table_sessions as s
    where
        s.restaurant_id = auth.restaurant_id()
        and s.id = place_order.session_id
        and app_private.claims_reach(s.branch_id, s.id);
    if not found then
        raise exception using errcode = 'BR404', message = 'Table session not found.',
            hint = 'not_found';
    end if;
    if auth.claims() ->> 'role' = 'staff' and auth.app_role() not in ('owner', 'manager', 'waiter') then
        raise exception using errcode = 'BR403', message = 'Kitchen staff do not take orders.',
            hint = 'forbidden';
    end if;
    if body is null or pg_catalog.jsonb_typeof(body) <> 'object' then
        raise exception using errcode = 'BR422', message = 'The body must be a JSON object.',
            hint = 'validation_failed';
    end if;
    perform app.require_keys(body, array['items', 'promo_code']);
    if body ? 'promo_code' and body -> 'promo_code' <> 'null'::jsonb then
        raise exception using errcode = 'BR422', message = 'This promo code is not valid here.',
            hint = 'promo_invalid';
    end if;

    -- Same key and body within 24 h: the first order. Same key, other body: a conflict. The
    -- key row is written before the order, so a concurrent repeat waits for this one.
    if idempotency_key is not null then
        if length(idempotency_key) not between 1 and 200 then
            raise exception using errcode = 'BR422',
                message = 'Idempotency-Key must be 1 to 200 characters.', hint = 'validation_failed';
        end if;
        v_hash := app_private.sha256(place_order.session_id::text || ' ' || body::text);
        delete from app_private.idempotency_keys as k
        where
            k.restaurant_id = v_session.restaurant_id
            and k.principal = v_principal
            and k.key = place_order.idempotency_key
            and k.created_at < pg_catalog.now() - interval '24 hours';
        insert into app_private.idempotency_keys (restaurant_id, principal, key, request_hash, order_id)
        values (
            v_session.restaurant_id, v_principal, place_order.idempotency_key, v_hash, v_order_id
        )
        on conflict do nothing;
        if not found then
            select k.* into v_key
            from app_private.idempotency_keys as k
            where
                k.restaurant_id = v_session.restaurant_id
                and k.principal = v_principal
                and k.key = place_order.idempotency_key;
            if v_key.request_hash <> v_hash then
                raise exception using errcode = 'BR409',
                    message = 'This Idempotency-Key was used for a different order.',
                    hint = 'idempotency_key_reused';
            end if;
            select o.* into v_order from app.orders as o
            where o.restaurant_id = v_key.restaurant_id and o.id = v_key.order_id;
            return app.order_json(v_order);
        end if;
    end if;

    -- The session must still be open; ordering counts as activity for idle expiry.
    update app.table_sessions as s set last_activity_at = pg_catalog.now()
    where s.restaurant_id = v_session.restaurant_id and s.id = v_session.id and s.closed_at is null;
    if not found then
        raise exception using errcode = 'BR409', message = 'This table session is closed.',
            hint = 'session_closed';
    end if;
    -- Checked and priced before the number is taken: the branch's counter row is held from
    -- there to commit, and every order of the branch waits for it.
    v_priced := app_private.price_lines(v_session.restaurant_id, v_session.branch_id, body -> 'items');
    select r.* into v_restaurant from app.restaurants as r where r.id = v_session.restaurant_id;
    select (pg_catalog.now() at time zone coalesce(b.timezone, v_restaurant.timezone))::date, b.auto_accept
    into v_business_date, v_auto_accept
    from app.branches as b
    where b.restaurant_id = v_session.restaurant_id and b.id = v_session.branch_id;
    -- Gap-free: the counter row is this transaction's until it ends (a rollback gives the
    -- number back); concurrent orders of the branch wait here, in turn.
    insert into app_private.order_numbers as n (restaurant_id, branch_id, business_date, last_number)
    values (v_session.restaurant_id, v_session.branch_id, v_business_date, 1)
    on conflict (restaurant_id, branch_id, business_date)
    do update set last_number = n.last_number + 1
    returning n.last_number into v_number;

    insert into app.orders (
        restaurant_id, id, branch_id, session_id, number, business_date, currency, subtotal,
        total, tax_rate_bp, tax_inclusive, service_charge_bp, placed_by_role, placed_by
    )
    values (
        v_session.restaurant_id, v_order_id, v_session.branch_id, v_session.id, v_number,
        v_business_date, v_restaurant.currency, 0, 0, v_restaurant.tax_rate_bp,
        v_restaurant.tax_inclusive, v_restaurant.service_charge_bp, auth.claims() ->> 'role',
        case when auth.claims() ->> 'role' = 'staff' then auth.user_id() end
    )
    returning * into v_order;
    perform app_private.add_order_lines(v_order, v_priced, 1);
    v_order := app_private.reprice_order(v_order.restaurant_id, v_order.id);
    insert into app.order_status_changes (
        restaurant_id, order_id, branch_id, to_status, actor_user_id, actor_role
    )
    values (
        v_order.restaurant_id, v_order.id, v_order.branch_id, 'placed', auth.user_id(),
        coalesce(auth.app_role(), 'customer')
    );
    perform app_private.emit_event(
        v_order.restaurant_id, v_order.branch_id, 'orders', 'order.status',
        pg_catalog.jsonb_build_object('order_id', v_order.id, 'status', v_order.status),
        session_id => v_order.session_id, order_id => v_order.id
    );
    if v_auto_accept then
        v_order := app_private.move_order(v_order, 'accepted', 'system');
    end if;
    return app.order_json(v_order);
end;
$$;
comment on function api.place_order(uuid, jsonb, text) is
'Place an order in a table session: checked and priced in SQL, numbered, idempotent by key.';
revoke all on function api.place_order(uuid, jsonb, text) from public;
grant execute on function api.place_order(uuid, jsonb, text) to customer, staff;
