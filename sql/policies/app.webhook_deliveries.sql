-- RLS of app.webhook_deliveries: the delivery log is read by whoever manages the webhooks;
-- only the worker writes it (app.record_webhook_delivery), and pg_cron purges it.
alter table app.webhook_deliveries enable row level security;
alter table app.webhook_deliveries force row level security;

drop policy if exists select_as_manager on app.webhook_deliveries;
create policy select_as_manager on app.webhook_deliveries
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and (select auth.branch_scope()) is null
);
comment on policy select_as_manager on app.webhook_deliveries is
'Owners and restaurant-wide managers read the delivery log of their restaurant''s webhooks.';
