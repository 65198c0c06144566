create or replace function app.record_webhook_delivery(
    restaurant_id uuid,
    subscription_id uuid,
    task_id bigint,
    attempt integer,
    event_id uuid,
    event_type text,
    status_code integer,
    duration_ms integer,
    error text,
    disable_after integer,
    retryable boolean default true
)
returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_succeeded boolean := record_webhook_delivery.status_code between 200 and 299
        and record_webhook_delivery.error is null;
    v_subscription app.webhook_subscriptions;
begin
    -- For the worker, after one attempt: log it, then keep the subscription's count of
    -- consecutive failures. Returns what the worker does with the task:
    --   'delivered'  done;
    --   'retry'      fail it, so the queue tries again after its backoff;
    --   'stop'       done without success: the subscription is gone or was just disabled,
    --                the failure is not worth retrying, or it was a one-shot test.
    select s.* into v_subscription
    from app.webhook_subscriptions as s
    where s.restaurant_id = record_webhook_delivery.restaurant_id
        and s.id = record_webhook_delivery.subscription_id
    for update;
    if not found then
        return 'stop';
    end if;
    insert into app.webhook_deliveries (
        restaurant_id, subscription_id, task_id, event_id, event_type, attempt, status_code,
        duration_ms, error, succeeded
    )
    values (
        v_subscription.restaurant_id,
        v_subscription.id,
        record_webhook_delivery.task_id,
        record_webhook_delivery.event_id,
        record_webhook_delivery.event_type,
        greatest(record_webhook_delivery.attempt, 1),
        record_webhook_delivery.status_code,
        greatest(record_webhook_delivery.duration_ms, 0),
        left(record_webhook_delivery.error, 1000),
        v_succeeded
    );
    if v_succeeded then
        -- A success ends a run of failures; a successful test enables a disabled webhook.
        update app.webhook_subscriptions as s
        set
            failure_count = 0,
            active = s.active or record_webhook_delivery.event_type = 'webhook.test',
            disabled_at = case
                when record_webhook_delivery.event_type = 'webhook.test' then null
                else s.disabled_at
            end,
            updated_at = pg_catalog.now()
        where
            s.restaurant_id = v_subscription.restaurant_id
            and s.id = v_subscription.id
            and (s.failure_count > 0 or not s.active);
        return 'delivered';
    end if;
    update app.webhook_subscriptions as s
    set
        failure_count = s.failure_count + 1,
        active = s.active and s.failure_count + 1 < record_webhook_delivery.disable_after,
        disabled_at = case
            when s.active and s.failure_count + 1 >= record_webhook_delivery.disable_after
                then pg_catalog.now()
            else s.disabled_at
        end,
        updated_at = pg_catalog.now()
    where s.restaurant_id = v_subscription.restaurant_id and s.id = v_subscription.id
    returning * into v_subscription;
    if not v_subscription.active
        or not record_webhook_delivery.retryable
        or record_webhook_delivery.event_type = 'webhook.test' then
        return 'stop';
    end if;
    return 'retry';
end;
$$;
comment on function app.record_webhook_delivery(
    uuid, uuid, bigint, integer, uuid, text, integer, integer, text, integer, boolean
) is
'Worker: logs one delivery attempt and disables the subscription after too many failures in a row.';
revoke all on function app.record_webhook_delivery(
    uuid, uuid, bigint, integer, uuid, text, integer, integer, text, integer, boolean
) from public;
grant execute on function app.record_webhook_delivery(
    uuid, uuid, bigint, integer, uuid, text, integer, integer, text, integer, boolean
) to worker;
