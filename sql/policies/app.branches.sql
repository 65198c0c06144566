-- RLS of app.branches: staff see their branches; the owner creates, edits and soft-deletes them.
alter table app.branches enable row level security;
alter table app.branches force row level security;

drop policy if exists select_visible_branches on app.branches;
create policy select_visible_branches on app.branches
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and ((select auth.branch_scope()) is null or id = any(cast((select auth.branch_scope()) as uuid[])))
    and (deleted_at is null or (select auth.app_role()) = 'owner')
);
comment on policy select_visible_branches on app.branches is
'Staff read the live branches in their scope; the owner also sees deleted ones, to restore them.';

drop policy if exists select_own_branch on app.branches;
create policy select_own_branch on app.branches
for select to customer
using (
    restaurant_id = (select auth.restaurant_id())
    and id = (select auth.branch_id())
    and deleted_at is null
);
comment on policy select_own_branch on app.branches is 'A guest reads the branch of their table.';

drop policy if exists select_as_platform_admin on app.branches;
create policy select_as_platform_admin on app.branches
for select to platform
using ((select auth.app_role()) = 'platform_admin');
comment on policy select_as_platform_admin on app.branches is
'Platform admins count branches per restaurant.';

drop policy if exists insert_as_owner on app.branches;
create policy insert_as_owner on app.branches
for insert to staff
with check (
    restaurant_id = (select auth.restaurant_id()) and (select auth.app_role()) = 'owner'
);
comment on policy insert_as_owner on app.branches is 'Only the owner opens a branch.';

drop policy if exists update_as_owner on app.branches;
create policy update_as_owner on app.branches
for update to staff
using (restaurant_id = (select auth.restaurant_id()) and (select auth.app_role()) = 'owner')
with check (
    restaurant_id = (select auth.restaurant_id()) and (select auth.app_role()) = 'owner'
);
comment on policy update_as_owner on app.branches is
'Only the owner edits, soft-deletes or restores a branch.';

drop trigger if exists _100_touch_updated_at on app.branches;
create trigger _100_touch_updated_at
before update on app.branches
for each row execute function app_private.tg_touch_updated_at();

drop trigger if exists _900_audit on app.branches;
create trigger _900_audit
after insert or update or delete on app.branches
for each row execute function app_private.tg_audit();

drop trigger if exists _800_menu_stale on app.branches;
create trigger _800_menu_stale
after update on app.branches
for each row execute function app_private.tg_menu_stale();

-- Subscribed webhooks hear of it (menu.changed, debounced per subscription).
drop trigger if exists _850_menu_webhooks on app.branches;
create trigger _850_menu_webhooks
after update on app.branches
for each row execute function app_private.tg_menu_webhooks();
