-- RLS of app.dining_tables: tables of a branch; soft-deleted ones only managers see.
alter table app.dining_tables enable row level security;
alter table app.dining_tables force row level security;

drop policy if exists select_branch_tables on app.dining_tables;
create policy select_branch_tables on app.dining_tables
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
    and (deleted_at is null or (select auth.app_role()) in ('owner', 'manager'))
);
comment on policy select_branch_tables on app.dining_tables is
'Staff read the tables of the branches in their scope.';

drop policy if exists insert_as_manager on app.dining_tables;
create policy insert_as_manager on app.dining_tables
for insert to staff
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy insert_as_manager on app.dining_tables is
'Owners and managers add tables to branches in their scope.';

drop policy if exists update_as_manager on app.dining_tables;
create policy update_as_manager on app.dining_tables
for update to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
    -- Restoring a deleted table is the owner's call.
    and (deleted_at is null or (select auth.app_role()) = 'owner')
)
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy update_as_manager on app.dining_tables is
'Owners and managers edit the tables of branches in their scope.';

drop trigger if exists _900_audit on app.dining_tables;
create trigger _900_audit
after insert or update or delete on app.dining_tables
for each row execute function app_private.tg_audit('qr_token');
