-- RLS of app.orders: read-only for requests; api functions (SECURITY DEFINER) write them.
alter table app.orders enable row level security;
alter table app.orders force row level security;

drop policy if exists select_branch_orders on app.orders;
create policy select_branch_orders on app.orders
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy select_branch_orders on app.orders is
'Staff read the orders of the branches in their scope.';

drop policy if exists select_session_orders on app.orders;
create policy select_session_orders on app.orders
for select to customer
using (
    restaurant_id = (select auth.restaurant_id())
    and session_id = (select auth.session_id())
);
comment on policy select_session_orders on app.orders is
'A guest reads only the orders of their own table session.';

drop trigger if exists _100_touch_updated_at on app.orders;
create trigger _100_touch_updated_at
before update on app.orders
for each row execute function app_private.tg_touch_updated_at();

drop trigger if exists _900_audit on app.orders;
create trigger _900_audit
after insert or update or delete on app.orders
for each row execute function app_private.tg_audit();
