create or replace function api.delete_webhook(webhook_id uuid)
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
    -- RLS lets owners and restaurant-wide managers see and delete their restaurant's
    -- subscriptions only: anything else is not found. Its delivery log goes with it, and
    -- deliveries still queued for it are dropped by the worker.
    delete from app.webhook_subscriptions as s where s.id = delete_webhook.webhook_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Webhook not found.',
            hint = 'not_found';
    end if;
end;
$$;
comment on function api.delete_webhook(uuid) is
'Delete a webhook subscription and its delivery log (owner, manager).';
revoke all on function api.delete_webhook(uuid) from public;
grant execute on function api.delete_webhook(uuid) to staff;
