-- RLS of app.items: every staff member reads the items; owners and managers change them.
alter table app.items enable row level security;
alter table app.items force row level security;

drop policy if exists select_same_restaurant on app.items;
create policy select_same_restaurant on app.items
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
);
comment on policy select_same_restaurant on app.items is
'Staff read their restaurant''s items (the kitchen needs them too).';

drop policy if exists insert_as_manager on app.items;
create policy insert_as_manager on app.items
for insert to staff
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
);
comment on policy insert_as_manager on app.items is
'Owners and managers insert items of their restaurant.';

drop policy if exists update_as_manager on app.items;
create policy update_as_manager on app.items
for update to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
)
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
);
comment on policy update_as_manager on app.items is
'Owners and managers update items of their restaurant.';

drop trigger if exists _050_search on app.items;
create trigger _050_search
before insert or update of name, description, translations on app.items
for each row execute function app_private.tg_items__search();

drop trigger if exists _100_touch_updated_at on app.items;
create trigger _100_touch_updated_at
before update on app.items
for each row execute function app_private.tg_touch_updated_at();

drop trigger if exists _800_menu_stale on app.items;
create trigger _800_menu_stale
after insert or update or delete on app.items
for each row execute function app_private.tg_menu_stale();

drop trigger if exists _900_audit on app.items;
create trigger _900_audit
after insert or update or delete on app.items
for each row execute function app_private.tg_audit('search');

-- Subscribed webhooks hear of it (menu.changed, debounced per subscription).
drop trigger if exists _850_menu_webhooks on app.items;
create trigger _850_menu_webhooks
after insert or update or delete on app.items
for each row execute function app_private.tg_menu_webhooks();
