create or replace function app.notification_to_send(restaurant_id uuid, notification_id uuid)
returns table (channel text, recipient text, subject text, body text)
language sql
stable
security definer
set search_path = ''
as $$
    -- For the worker: the message, while it is still pending (a task run twice sends once
    -- unless the first run died between sending and recording).
    select n.channel, n.recipient, n.subject, n.body
    from app.notifications as n
    where
        n.restaurant_id = notification_to_send.restaurant_id
        and n.id = notification_to_send.notification_id
        and n.status = 'pending'
$$;
comment on function app.notification_to_send(uuid, uuid) is
'Worker: a pending notification''s channel, recipient and text; no row once it was handled.';
revoke all on function app.notification_to_send(uuid, uuid) from public;
grant execute on function app.notification_to_send(uuid, uuid) to worker;
