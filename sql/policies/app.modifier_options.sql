-- RLS of app.modifier_options: every staff member reads the modifier options; owners and managers change them.
alter table app.modifier_options enable row level security;
alter table app.modifier_options force row level security;

drop policy if exists select_same_restaurant on app.modifier_options;
create policy select_same_restaurant on app.modifier_options
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
);
comment on policy select_same_restaurant on app.modifier_options is
'Staff read their restaurant''s modifier options (the kitchen needs them too).';

drop policy if exists insert_as_manager on app.modifier_options;
create policy insert_as_manager on app.modifier_options
for insert to staff
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
);
comment on policy insert_as_manager on app.modifier_options is
'Owners and managers insert modifier options of their restaurant.';

drop policy if exists update_as_manager on app.modifier_options;
create policy update_as_manager on app.modifier_options
for update to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
)
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
);
comment on policy update_as_manager on app.modifier_options is
'Owners and managers update modifier options of their restaurant.';

drop policy if exists delete_as_manager on app.modifier_options;
create policy delete_as_manager on app.modifier_options
for delete to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
);
comment on policy delete_as_manager on app.modifier_options is
'Owners and managers delete modifier options of their restaurant.';

drop trigger if exists _800_menu_stale on app.modifier_options;
create trigger _800_menu_stale
after insert or update or delete on app.modifier_options
for each row execute function app_private.tg_menu_stale();

drop trigger if exists _900_audit on app.modifier_options;
create trigger _900_audit
after insert or update or delete on app.modifier_options
for each row execute function app_private.tg_audit();

-- Subscribed webhooks hear of it (menu.changed, debounced per subscription).
drop trigger if exists _850_menu_webhooks on app.modifier_options;
create trigger _850_menu_webhooks
after insert or update or delete on app.modifier_options
for each row execute function app_private.tg_menu_webhooks();
