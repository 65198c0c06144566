create or replace function app_private.tg_menu_webhooks()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
    v_row jsonb := pg_catalog.to_jsonb(coalesce(new, old));
    v_restaurant uuid := coalesce(
        (v_row ->> 'restaurant_id')::uuid,
        case when tg_table_name = 'restaurants' then (v_row ->> 'id')::uuid end
    );
begin
    -- Any change to a table the menu is built from (the tables that carry _800_menu_stale):
    -- one 'menu.changed' delivery per subscription, debounced
    -- (dedupe key) while it waits, so editing fifty items sends one event, not fifty.
    -- Definer: the writer (a manager, a waiter marking an item sold out) cannot read the
    -- subscriptions or reach the queue.
    if v_restaurant is not null and exists (
        select 1 from app.webhook_subscriptions as s
        where s.restaurant_id = v_restaurant and s.active and 'menu.changed' = any(s.event_types)
    ) then
        perform app_private.emit_webhooks(
            v_restaurant, 'menu.changed',
            pg_catalog.jsonb_build_object('restaurant_id', v_restaurant),
            'menu.changed'
        );
    end if;
    return null;
end;
$$;
comment on function app_private.tg_menu_webhooks() is
'After a catalog change: queues a debounced menu.changed webhook delivery for the restaurant.';
revoke all on function app_private.tg_menu_webhooks() from public;
