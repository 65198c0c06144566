-- RLS of app.item_modifier_groups: every staff member reads the item-group links; owners and managers change them.
alter table app.item_modifier_groups enable row level security;
alter table app.item_modifier_groups force row level security;

drop policy if exists select_same_restaurant on app.item_modifier_groups;
create policy select_same_restaurant on app.item_modifier_groups
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
);
comment on policy select_same_restaurant on app.item_modifier_groups is
'Staff read their restaurant''s item-group links (the kitchen needs them too).';

drop policy if exists insert_as_manager on app.item_modifier_groups;
create policy insert_as_manager on app.item_modifier_groups
for insert to staff
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
);
comment on policy insert_as_manager on app.item_modifier_groups is
'Owners and managers insert item-group links of their restaurant.';

drop policy if exists delete_as_manager on app.item_modifier_groups;
create policy delete_as_manager on app.item_modifier_groups
for delete to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
);
comment on policy delete_as_manager on app.item_modifier_groups is
'Owners and managers delete item-group links of their restaurant.';

drop trigger if exists _800_menu_stale on app.item_modifier_groups;
create trigger _800_menu_stale
after insert or update or delete on app.item_modifier_groups
for each row execute function app_private.tg_menu_stale();

drop trigger if exists _900_audit on app.item_modifier_groups;
create trigger _900_audit
after insert or update or delete on app.item_modifier_groups
for each row execute function app_private.tg_audit();

-- Subscribed webhooks hear of it (menu.changed, debounced per subscription).
drop trigger if exists _850_menu_webhooks on app.item_modifier_groups;
create trigger _850_menu_webhooks
after insert or update or delete on app.item_modifier_groups
for each row execute function app_private.tg_menu_webhooks();
