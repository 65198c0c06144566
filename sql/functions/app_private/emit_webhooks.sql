create or replace function app_private.emit_webhooks(
    restaurant_id uuid, event_type text, payload jsonb, dedupe_key text default null
)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_subscription record;
    v_count integer := 0;
begin
    -- One 'webhook' task per active subscription of the restaurant to this event type, in the
    -- caller's transaction: no delivery for a change that rolls back. With a dedupe_key, a
    -- burst of the same event (a menu edited row by row) makes one pending delivery per
    -- subscription: the first one's payload, so it must not depend on the row.
    -- Called as the owner (definer triggers, jobs): it reads every subscription.
    if event_type is null or not (event_type = any(app.webhook_event_types())) then
        raise exception using errcode = 'BR422',
            message = pg_catalog.format('%L is not a webhook event type.', event_type),
            hint = 'validation_failed';
    end if;
    for v_subscription in
        select s.id
        from app.webhook_subscriptions as s
        where
            s.restaurant_id = emit_webhooks.restaurant_id
            and s.active
            and emit_webhooks.event_type = any(s.event_types)
        order by s.id
    loop
        perform queue.enqueue(
            type => 'webhook',
            payload => pg_catalog.jsonb_build_object(
                'subscription_id', v_subscription.id,
                'event', pg_catalog.jsonb_build_object(
                    'id', app.uuid7(),
                    'type', emit_webhooks.event_type,
                    'created_at', pg_catalog.now(),
                    'restaurant_id', emit_webhooks.restaurant_id,
                    'data', coalesce(emit_webhooks.payload, '{}'::jsonb)
                )
            ),
            restaurant_id => emit_webhooks.restaurant_id,
            dedupe_key => case
                when emit_webhooks.dedupe_key is not null
                    then 'webhook:' || v_subscription.id || ':' || emit_webhooks.dedupe_key
            end
        );
        v_count := v_count + 1;
    end loop;
    return v_count;
end;
$$;
comment on function app_private.emit_webhooks(uuid, text, jsonb, text) is
'Queues one signed delivery of an event per active subscription of the restaurant to its type.';
revoke all on function app_private.emit_webhooks(uuid, text, jsonb, text) from public;
