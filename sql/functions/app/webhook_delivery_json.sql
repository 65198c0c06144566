create or replace function app.webhook_delivery_json(d app.webhook_deliveries)
returns jsonb
language sql
stable
set search_path = ''
as $$
    select pg_catalog.jsonb_build_object(
        'id', d.id,
        'webhook_id', d.subscription_id,
        'event_id', d.event_id,
        'event_type', d.event_type,
        'attempt', d.attempt,
        'status_code', d.status_code,
        'duration_ms', d.duration_ms,
        'error', d.error,
        'succeeded', d.succeeded,
        'at', d.at
    )
$$;
comment on function app.webhook_delivery_json(app.webhook_deliveries) is
'One delivery attempt of a webhook as the API shows it.';
revoke all on function app.webhook_delivery_json(app.webhook_deliveries) from public;
grant execute on function app.webhook_delivery_json(app.webhook_deliveries) to staff;
