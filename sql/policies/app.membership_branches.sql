-- RLS of app.membership_branches: branch scopes of staff, managed by owners and managers.
alter table app.membership_branches enable row level security;
alter table app.membership_branches force row level security;

drop policy if exists select_same_restaurant on app.membership_branches;
create policy select_same_restaurant on app.membership_branches
for select to staff
using (restaurant_id = (select auth.restaurant_id()));
comment on policy select_same_restaurant on app.membership_branches is
'Staff read branch scopes within their restaurant.';

drop policy if exists insert_as_manager on app.membership_branches;
create policy insert_as_manager on app.membership_branches
for insert to staff
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    -- A branch-scoped manager must not widen any scope, their own included.
    and (select auth.branch_scope()) is null
    and exists (
        select 1 from app.memberships as m
        where
            m.restaurant_id = membership_branches.restaurant_id
            and m.id = membership_branches.membership_id
            and (m.role <> 'owner' or (select auth.app_role()) = 'owner')
    )
);
comment on policy insert_as_manager on app.membership_branches is
'Restaurant-wide owners and managers assign staff to branches; only an owner scopes an owner.';

drop policy if exists delete_as_manager on app.membership_branches;
create policy delete_as_manager on app.membership_branches
for delete to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    -- Removing the last scope row widens to the whole restaurant: restaurant-wide staff only.
    and (select auth.branch_scope()) is null
    and exists (
        select 1 from app.memberships as m
        where
            m.restaurant_id = membership_branches.restaurant_id
            and m.id = membership_branches.membership_id
            and (m.role <> 'owner' or (select auth.app_role()) = 'owner')
    )
);
comment on policy delete_as_manager on app.membership_branches is
'Restaurant-wide owners and managers take staff off branches; only an owner an owner.';

drop trigger if exists _900_audit on app.membership_branches;
create trigger _900_audit
after insert or update or delete on app.membership_branches
for each row execute function app_private.tg_audit();
