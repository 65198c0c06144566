-- RLS of app.stations: kitchen stations of a branch.
alter table app.stations enable row level security;
alter table app.stations force row level security;

drop policy if exists select_branch_stations on app.stations;
create policy select_branch_stations on app.stations
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy select_branch_stations on app.stations is
'Staff read the stations of the branches in their scope.';

drop policy if exists insert_as_manager on app.stations;
create policy insert_as_manager on app.stations
for insert to staff
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy insert_as_manager on app.stations is
'Owners and managers add stations to branches in their scope.';

drop policy if exists update_as_manager on app.stations;
create policy update_as_manager on app.stations
for update to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
)
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy update_as_manager on app.stations is
'Owners and managers edit the stations of branches in their scope.';

drop policy if exists delete_as_manager on app.stations;
create policy delete_as_manager on app.stations
for delete to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy delete_as_manager on app.stations is
'Owners and managers remove stations of branches in their scope.';

drop trigger if exists _900_audit on app.stations;
create trigger _900_audit
after insert or update or delete on app.stations
for each row execute function app_private.tg_audit();
