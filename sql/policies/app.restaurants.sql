-- RLS of app.restaurants: staff and customers see their own restaurant; the owner edits it.
alter table app.restaurants enable row level security;
alter table app.restaurants force row level security;

drop policy if exists select_own_restaurant on app.restaurants;
create policy select_own_restaurant on app.restaurants
for select to staff, customer
using (id = (select auth.restaurant_id()));
comment on policy select_own_restaurant on app.restaurants is
'Staff and guests read the restaurant their token names.';

drop policy if exists select_as_platform_admin on app.restaurants;
create policy select_as_platform_admin on app.restaurants
for select to platform
using ((select auth.app_role()) = 'platform_admin');
comment on policy select_as_platform_admin on app.restaurants is
'Platform admins oversee every restaurant.';

drop policy if exists update_as_owner on app.restaurants;
create policy update_as_owner on app.restaurants
for update to staff
using (id = (select auth.restaurant_id()) and (select auth.app_role()) = 'owner')
with check (id = (select auth.restaurant_id()) and (select auth.app_role()) = 'owner');
comment on policy update_as_owner on app.restaurants is
'Only the owner changes the restaurant''s settings.';

drop policy if exists update_as_platform_admin on app.restaurants;
create policy update_as_platform_admin on app.restaurants
for update to platform
using ((select auth.app_role()) = 'platform_admin')
with check ((select auth.app_role()) = 'platform_admin');
comment on policy update_as_platform_admin on app.restaurants is
'Platform admins suspend restaurants and change plans.';

drop trigger if exists _100_touch_updated_at on app.restaurants;
create trigger _100_touch_updated_at
before update on app.restaurants
for each row execute function app_private.tg_touch_updated_at();

drop trigger if exists _900_audit on app.restaurants;
create trigger _900_audit
after insert or update or delete on app.restaurants
for each row execute function app_private.tg_audit();

drop trigger if exists _800_menu_stale on app.restaurants;
create trigger _800_menu_stale
after update on app.restaurants
for each row execute function app_private.tg_menu_stale();

-- Subscribed webhooks hear of it (menu.changed, debounced per subscription).
drop trigger if exists _850_menu_webhooks on app.restaurants;
create trigger _850_menu_webhooks
after update on app.restaurants
for each row execute function app_private.tg_menu_webhooks();
