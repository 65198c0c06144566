-- RLS of app.station_categories: every staff member reads the station routes; owners and managers change them.
alter table app.station_categories enable row level security;
alter table app.station_categories force row level security;

drop policy if exists select_same_restaurant on app.station_categories;
create policy select_same_restaurant on app.station_categories
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
);
comment on policy select_same_restaurant on app.station_categories is
'Staff read their restaurant''s station routes (the kitchen needs them too).';

drop policy if exists insert_as_manager on app.station_categories;
create policy insert_as_manager on app.station_categories
for insert to staff
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    -- Stations are under RLS: this sees only stations of branches in the caller's scope.
    and exists (
        select 1 from app.stations as s
        where s.restaurant_id = station_categories.restaurant_id and s.id = station_categories.station_id
    )
);
comment on policy insert_as_manager on app.station_categories is
'Owners and managers route categories to stations of branches in their scope.';

drop policy if exists delete_as_manager on app.station_categories;
create policy delete_as_manager on app.station_categories
for delete to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    -- Stations are under RLS: this sees only stations of branches in the caller's scope.
    and exists (
        select 1 from app.stations as s
        where s.restaurant_id = station_categories.restaurant_id and s.id = station_categories.station_id
    )
);
comment on policy delete_as_manager on app.station_categories is
'Owners and managers unroute categories from stations of branches in their scope.';

drop trigger if exists _900_audit on app.station_categories;
create trigger _900_audit
after insert or update or delete on app.station_categories
for each row execute function app_private.tg_audit();
