create or replace function app.webhook_target(
    restaurant_id uuid, subscription_id uuid, event_type text, webhook_key text
)
returns table (url text, secret text)
language sql
stable
security definer
set search_path = ''
as $$
    -- For the worker, about to deliver: where to, and the signing secret in clear. No row:
    -- the subscription was deleted, or disabled (only a test is sent to a disabled one).
    select
        s.url,
        extensions.pgp_sym_decrypt(s.secret, webhook_target.webhook_key)
    from app.webhook_subscriptions as s
    where
        s.restaurant_id = webhook_target.restaurant_id
        and s.id = webhook_target.subscription_id
        and (s.active or webhook_target.event_type = 'webhook.test')
$$;
comment on function app.webhook_target(uuid, uuid, text, text) is
'Worker: the URL and decrypted signing secret of a subscription still to be delivered to.';
revoke all on function app.webhook_target(uuid, uuid, text, text) from public;
grant execute on function app.webhook_target(uuid, uuid, text, text) to worker;
