-- RLS of app.modifier_groups: every staff member reads the modifier groups; owners and managers change them.
alter table app.modifier_groups enable row level security;
alter table app.modifier_groups force row level security;

drop policy if exists select_same_restaurant on app.modifier_groups;
create policy select_same_restaurant on app.modifier_groups
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
);
comment on policy select_same_restaurant on app.modifier_groups is
'Staff read their restaurant''s modifier groups (the kitchen needs them too).';

drop policy if exists insert_as_manager on app.modifier_groups;
create policy insert_as_manager on app.modifier_groups
for insert to staff
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
);
comment on policy insert_as_manager on app.modifier_groups is
'Owners and managers insert modifier groups of their restaurant.';

drop policy if exists update_as_manager on app.modifier_groups;
create policy update_as_manager on app.modifier_groups
for update to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
)
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
);
comment on policy update_as_manager on app.modifier_groups is
'Owners and managers update modifier groups of their restaurant.';

drop trigger if exists _100_touch_updated_at on app.modifier_groups;
create trigger _100_touch_updated_at
before update on app.modifier_groups
for each row execute function app_private.tg_touch_updated_at();

drop trigger if exists _800_menu_stale on app.modifier_groups;
create trigger _800_menu_stale
after insert or update or delete on app.modifier_groups
for each row execute function app_private.tg_menu_stale();

drop trigger if exists _900_audit on app.modifier_groups;
create trigger _900_audit
after insert or update or delete on app.modifier_groups
for each row execute function app_private.tg_audit();

-- Subscribed webhooks hear of it (menu.changed, debounced per subscription).
drop trigger if exists _850_menu_webhooks on app.modifier_groups;
create trigger _850_menu_webhooks
after insert or update or delete on app.modifier_groups
for each row execute function app_private.tg_menu_webhooks();
