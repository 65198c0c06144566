-- RLS of app.tickets: the kitchen's work, read by staff of the branch; written by api functions.
alter table app.tickets enable row level security;
alter table app.tickets force row level security;

drop policy if exists select_branch_tickets on app.tickets;
create policy select_branch_tickets on app.tickets
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy select_branch_tickets on app.tickets is
'Staff (kitchen devices included) read the tickets of the branches in their scope.';

drop trigger if exists _100_touch_updated_at on app.tickets;
create trigger _100_touch_updated_at
before update on app.tickets
for each row execute function app_private.tg_touch_updated_at();
