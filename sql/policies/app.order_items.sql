-- RLS of app.order_items: read-only for requests, like app.orders (branch and session copied).
alter table app.order_items enable row level security;
alter table app.order_items force row level security;

drop policy if exists select_branch_order_items on app.order_items;
create policy select_branch_order_items on app.order_items
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy select_branch_order_items on app.order_items is
'Staff read the order lines of the branches in their scope.';

drop policy if exists select_session_order_items on app.order_items;
create policy select_session_order_items on app.order_items
for select to customer
using (
    restaurant_id = (select auth.restaurant_id())
    and session_id = (select auth.session_id())
);
comment on policy select_session_order_items on app.order_items is
'A guest reads only the order lines of their own table session.';

drop trigger if exists _100_touch_updated_at on app.order_items;
create trigger _100_touch_updated_at
before update on app.order_items
for each row execute function app_private.tg_touch_updated_at();
-- No row audit: lines change status many times per order; app.order_status_changes and
-- queue.events keep their history, and the order row itself is audited.
