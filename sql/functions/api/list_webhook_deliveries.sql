create or replace function api.list_webhook_deliveries(
    webhook_id uuid, lim integer default 50, cursor uuid default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_restaurant_id uuid;
    v_items jsonb;
begin
    perform app.require_limit(lim);
    -- Not s.*: the row holds the secret, which no request role may read.
    select s.restaurant_id into v_restaurant_id
    from app.webhook_subscriptions as s
    where s.id = list_webhook_deliveries.webhook_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Webhook not found.',
            hint = 'not_found';
    end if;
    -- Newest first: the cursor is the id of the last row of the previous page.
    select coalesce(
        pg_catalog.jsonb_agg(app.webhook_delivery_json(x.d) order by (x.d).id desc), '[]'::jsonb
    )
    into v_items
    from (
        select d
        from app.webhook_deliveries as d
        where
            d.restaurant_id = v_restaurant_id
            and d.subscription_id = list_webhook_deliveries.webhook_id
            and (list_webhook_deliveries.cursor is null or d.id < list_webhook_deliveries.cursor)
        order by d.id desc
        limit list_webhook_deliveries.lim + 1
    ) as x;
    return app.page_json(v_items, lim);
end;
$$;
comment on function api.list_webhook_deliveries(uuid, integer, uuid) is
'The delivery log of a webhook, newest first: status code, duration, error (owner, manager).';
revoke all on function api.list_webhook_deliveries(uuid, integer, uuid) from public;
grant execute on function api.list_webhook_deliveries(uuid, integer, uuid) to staff;
