-- RLS of app.webhook_subscriptions: owners and restaurant-wide managers subscribe, list and
-- delete their restaurant's webhooks. Events span branches, so a branch-scoped manager does
-- not. Nobody reads the secret column (no grant); the worker reaches rows through
-- app.webhook_target and app.record_webhook_delivery, never through a grant.
alter table app.webhook_subscriptions enable row level security;
alter table app.webhook_subscriptions force row level security;

drop policy if exists select_as_manager on app.webhook_subscriptions;
create policy select_as_manager on app.webhook_subscriptions
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and (select auth.branch_scope()) is null
);
comment on policy select_as_manager on app.webhook_subscriptions is
'Owners and restaurant-wide managers read their restaurant''s webhook subscriptions.';

drop policy if exists insert_as_manager on app.webhook_subscriptions;
create policy insert_as_manager on app.webhook_subscriptions
for insert to staff
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and (select auth.branch_scope()) is null
);
comment on policy insert_as_manager on app.webhook_subscriptions is
'Owners and restaurant-wide managers subscribe webhooks for their restaurant.';

drop policy if exists delete_as_manager on app.webhook_subscriptions;
create policy delete_as_manager on app.webhook_subscriptions
for delete to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and (select auth.branch_scope()) is null
);
comment on policy delete_as_manager on app.webhook_subscriptions is
'Owners and restaurant-wide managers delete their restaurant''s webhook subscriptions.';

-- The failure counter moves with every delivery: only its consequence (active, disabled_at)
-- is worth an audit row.
drop trigger if exists _900_audit on app.webhook_subscriptions;
create trigger _900_audit
after insert or update or delete on app.webhook_subscriptions
for each row execute function app_private.tg_audit('secret', 'failure_count', 'updated_at');
