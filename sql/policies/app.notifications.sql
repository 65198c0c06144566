-- RLS of app.notifications: the outbox is read by owners and restaurant-wide managers (and
-- an operator as the owner); messages are written by app_private.queue_notification and
-- marked by the worker (app.record_notification), never through a grant.
alter table app.notifications enable row level security;
alter table app.notifications force row level security;

drop policy if exists select_as_manager on app.notifications;
create policy select_as_manager on app.notifications
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and (select auth.branch_scope()) is null
);
comment on policy select_as_manager on app.notifications is
'Owners and restaurant-wide managers read the messages sent for their restaurant.';
