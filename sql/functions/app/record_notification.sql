create or replace function app.record_notification(
    restaurant_id uuid, notification_id uuid, sent_via text, error text default null,
    final boolean default false
)
returns void
language sql
volatile
security definer
set search_path = ''
as $$
    -- For the worker, after a sending attempt: sent (by which sender), or the error kept and,
    -- when no attempt is left (final), failed.
    update app.notifications as n
    set
        status = case
            when record_notification.error is null then 'sent'
            when record_notification.final then 'failed'
            else 'pending'
        end,
        sent_via = record_notification.sent_via,
        sent_at = case when record_notification.error is null then pg_catalog.now() end,
        last_error = left(record_notification.error, 1000)
    where
        n.restaurant_id = record_notification.restaurant_id
        and n.id = record_notification.notification_id
        and n.status = 'pending'
$$;
comment on function app.record_notification(uuid, uuid, text, text, boolean) is
'Worker: records that a notification was sent (and by which sender), or why it was not.';
revoke all on function app.record_notification(uuid, uuid, text, text, boolean) from public;
grant execute on function app.record_notification(uuid, uuid, text, text, boolean) to worker;
