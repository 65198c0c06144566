create or replace function api.test_webhook(webhook_id uuid)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_subscription app.webhook_subscriptions;
    v_event jsonb;
begin
    -- Definer (the queue is the owner's): every check RLS would make is spelled out.
    select s.* into v_subscription
    from app.webhook_subscriptions as s
    where
        s.restaurant_id = (select auth.restaurant_id())
        and s.id = test_webhook.webhook_id
        and (select auth.app_role()) in ('owner', 'manager')
        and (select auth.branch_scope()) is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Webhook not found.',
            hint = 'not_found';
    end if;
    v_event := pg_catalog.jsonb_build_object(
        'id', app.uuid7(),
        'type', 'webhook.test',
        'created_at', pg_catalog.now(),
        'restaurant_id', v_subscription.restaurant_id,
        'data', pg_catalog.jsonb_build_object('webhook_id', v_subscription.id)
    );
    -- One attempt: a test reports what happened now; it is sent even to a disabled
    -- subscription, and a success enables it again.
    perform queue.enqueue(
        type => 'webhook',
        payload => pg_catalog.jsonb_build_object(
            'subscription_id', v_subscription.id, 'event', v_event
        ),
        restaurant_id => v_subscription.restaurant_id,
        priority => (-1)::smallint,
        max_attempts => 1
    );
    return pg_catalog.jsonb_build_object(
        'webhook_id', v_subscription.id, 'event_id', v_event -> 'id', 'status', 'queued'
    );
end;
$$;
comment on function api.test_webhook(uuid) is
'Queue a signed webhook.test delivery to a webhook now, even a disabled one (owner, manager).';
revoke all on function api.test_webhook(uuid) from public;
grant execute on function api.test_webhook(uuid) to staff;
