-- RLS of app.branch_item_availability: staff of a branch 86 items there (the kitchen knows first).
alter table app.branch_item_availability enable row level security;
alter table app.branch_item_availability force row level security;

drop policy if exists select_same_restaurant on app.branch_item_availability;
create policy select_same_restaurant on app.branch_item_availability
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
);
comment on policy select_same_restaurant on app.branch_item_availability is
'Staff read what is sold out in their restaurant.';

drop policy if exists insert_branch_staff on app.branch_item_availability;
create policy insert_branch_staff on app.branch_item_availability
for insert to staff
with check (
    restaurant_id = (select auth.restaurant_id())
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy insert_branch_staff on app.branch_item_availability is
'Staff of a branch mark items sold out or back there.';

drop policy if exists update_branch_staff on app.branch_item_availability;
create policy update_branch_staff on app.branch_item_availability
for update to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
)
with check (
    restaurant_id = (select auth.restaurant_id())
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy update_branch_staff on app.branch_item_availability is
'Staff of a branch mark items sold out or back there.';

drop trigger if exists _800_menu_stale on app.branch_item_availability;
create trigger _800_menu_stale
after insert or update or delete on app.branch_item_availability
for each row execute function app_private.tg_menu_stale();

drop trigger if exists _900_audit on app.branch_item_availability;
create trigger _900_audit
after insert or update or delete on app.branch_item_availability
for each row execute function app_private.tg_audit();

-- Subscribed webhooks hear of it (menu.changed, debounced per subscription).
drop trigger if exists _850_menu_webhooks on app.branch_item_availability;
create trigger _850_menu_webhooks
after insert or update or delete on app.branch_item_availability
for each row execute function app_private.tg_menu_webhooks();
