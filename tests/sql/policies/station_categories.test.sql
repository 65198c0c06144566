-- RLS persona matrix of app.station_categories: every staff member of the restaurant reads
-- which categories each station prepares; owners and managers route and unroute them for the
-- stations of their branch scope; never another tenant's category or station; routes are
-- replaced, never updated, by request roles.
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/catalog.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the station routes',
    'select category_id from app.station_categories',
    '{cat_a}', '{cat_a}', '{cat_a}', '{cat_a}', '{cat_a}', '{cat_a}',
    '42501', '{cat_b}', '42501', '42501', null
),
(
    'looks up the routes of the B1 grill',
    'select category_id from app.station_categories where station_id = @st_b1',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{cat_b}', '42501', '42501', null
),
(
    'routes the Mains of A to the A2 grill',
    $$insert into app.station_categories (restaurant_id, station_id, category_id)
    values (@r_a, @st_a2, @cat_a) returning category_id$$,
    '{cat_a}', '{cat_a}', '{cat_a}', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'routes the Mains of A to the A1 grill a second time',
    $$insert into app.station_categories (restaurant_id, station_id, category_id)
    values (@r_a, @st_a1, @cat_a) returning category_id$$,
    '23505', '23505', '42501', '23505', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'routes the category of B to a station of A',
    $$insert into app.station_categories (restaurant_id, station_id, category_id)
    values (@r_a, @st_a1, @cat_b) returning category_id$$,
    '23503', '23503', '42501', '23503', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'routes a category to the B1 grill',
    $$insert into app.station_categories (restaurant_id, station_id, category_id)
    values (@r_b, @st_b1, @cat_b) returning category_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '23505', '42501', '42501', null
),
(
    'reroutes the A1 grill to the Desserts',
    $$update app.station_categories set category_id = @cat_a_empty where station_id = @st_a1
    returning category_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{cat_a_empty}'
),
(
    'unroutes the Mains from the A1 grill',
    'delete from app.station_categories where station_id = @st_a1 returning category_id',
    '{cat_a}', '{cat_a}', '{}', '{cat_a}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'unroutes the B1 grill',
    'delete from app.station_categories where station_id = @st_b1 returning category_id',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{cat_b}', '42501', '42501', null
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'station_categories',
    array['select_same_restaurant', 'insert_as_manager', 'delete_as_manager'],
    'app.station_categories has exactly its three policies: staff read, managers route, unroute.'
);

select * from pg_temp.run_matrix('app.station_categories');

select * from finish();
rollback;
