-- RLS of app.order_status_changes: the transition history, read by staff of the branch.
alter table app.order_status_changes enable row level security;
alter table app.order_status_changes force row level security;

drop policy if exists select_branch_changes on app.order_status_changes;
create policy select_branch_changes on app.order_status_changes
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy select_branch_changes on app.order_status_changes is
'Staff read who moved which order of their branches, when, from and to what.';
