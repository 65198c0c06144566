create or replace function app_private.queue_notification(
    restaurant_id uuid, channel text, recipient text, subject text, body text
)
returns uuid
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_id uuid;
begin
    -- The outbox row and its 'notification' task, in the caller's transaction: a message
    -- about a change that rolls back is never sent. Called as the owner (definer code, jobs).
    insert into app.notifications (restaurant_id, channel, recipient, subject, body)
    values (
        queue_notification.restaurant_id,
        queue_notification.channel,
        queue_notification.recipient,
        coalesce(queue_notification.subject, ''),
        queue_notification.body
    )
    returning id into v_id;
    perform queue.enqueue(
        type => 'notification',
        payload => pg_catalog.jsonb_build_object(
            'restaurant_id', queue_notification.restaurant_id, 'notification_id', v_id
        ),
        restaurant_id => queue_notification.restaurant_id
    );
    return v_id;
end;
$$;
comment on function app_private.queue_notification(uuid, text, text, text, text) is
'Writes an email, SMS or push message to the outbox and queues its sending.';
revoke all on function app_private.queue_notification(uuid, text, text, text, text) from public;
