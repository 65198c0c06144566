-- RLS of app.memberships: managers see and change the staff of their restaurant; others see themselves.
alter table app.memberships enable row level security;
alter table app.memberships force row level security;

drop policy if exists select_same_restaurant on app.memberships;
create policy select_same_restaurant on app.memberships
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (
        -- Managers see removed staff too: PostgreSQL requires the row an UPDATE leaves
        -- (here: just removed) to stay visible to whoever made it.
        (select auth.app_role()) in ('owner', 'manager')
        or (user_id = (select auth.user_id()) and deleted_at is null)
    )
);
comment on policy select_same_restaurant on app.memberships is
'Owners and managers read the staff, removed ones included; others only themselves.';

drop policy if exists select_as_platform_admin on app.memberships;
create policy select_as_platform_admin on app.memberships
for select to platform
using ((select auth.app_role()) = 'platform_admin');
comment on policy select_as_platform_admin on app.memberships is
'Platform admins count staff per restaurant.';

drop policy if exists update_as_manager on app.memberships;
create policy update_as_manager on app.memberships
for update to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and (role <> 'owner' or (select auth.app_role()) = 'owner')
    -- Restoring removed staff is the owner's call.
    and (deleted_at is null or (select auth.app_role()) = 'owner')
)
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and (role <> 'owner' or (select auth.app_role()) = 'owner')
);
comment on policy update_as_manager on app.memberships is
'Owners and managers change roles and remove staff; only an owner touches an owner.';

drop trigger if exists _100_touch_updated_at on app.memberships;
create trigger _100_touch_updated_at
before update on app.memberships
for each row execute function app_private.tg_touch_updated_at();

drop trigger if exists _900_audit on app.memberships;
create trigger _900_audit
after insert or update or delete on app.memberships
for each row execute function app_private.tg_audit();
