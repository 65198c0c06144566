create or replace function app.webhook_event_types()
returns text[]
language sql
immutable
set search_path = ''
as $$
    -- The events a webhook may subscribe to. A context that emits a new one
    -- (app_private.emit_webhooks) adds it here.
    select array['menu.changed', 'order.placed', 'order.ready', 'order.status']
$$;
comment on function app.webhook_event_types() is
'The event types a webhook subscription may name (webhook.test is sent on request only).';
revoke all on function app.webhook_event_types() from public;
grant execute on function app.webhook_event_types() to staff;
