-- RLS persona matrix of app.stations: staff read the stations of their branches; owners and
-- managers add, edit and remove them in their scope; nobody reaches another tenant's.
begin;
\ir _fixtures/matrix.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the stations',
    'select id from app.stations',
    '{st_a1,st_a2}', '{st_a1,st_a2}', '{st_a2}', '{st_a1}', '{st_a1,st_a2}', '{st_a1}',
    '42501', '{st_b1}', '42501', '42501', null
),
(
    'looks up the B1 grill or a station that does not exist',
    'select id from app.stations where id in (@st_b1, @nope)',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{st_b1}', '42501', '42501', null
),
(
    'adds a station to branch A2',
    $$insert into app.stations (restaurant_id, branch_id, name)
    values (@r_a, @br_a2, 'A2 bar') returning name$$,
    '{A2 bar}', '{A2 bar}', '{A2 bar}', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'adds a station to restaurant A on branch B1 of restaurant B',
    $$insert into app.stations (restaurant_id, branch_id, name)
    values (@r_a, @br_b1, 'Stolen') returning name$$,
    '23503', '23503', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'adds a station to restaurant A on a branch that does not exist',
    $$insert into app.stations (restaurant_id, branch_id, name)
    values (@r_a, @nope, 'Nowhere') returning name$$,
    '23503', '23503', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'adds a station to restaurant B',
    $$insert into app.stations (restaurant_id, branch_id, name)
    values (@r_b, @br_b1, 'B1 bar') returning name$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '{B1 bar}', '42501', '42501', null
),
(
    'retimes the A2 grill',
    'update app.stations set target_seconds = 900 where id = @st_a2 returning id',
    '{st_a2}', '{st_a2}', '{st_a2}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'renames the B1 grill or a station that does not exist',
    $$update app.stations set name = 'Mine' where id in (@st_b1, @nope) returning id$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{st_b1}', '42501', '42501', null
),
(
    'moves the A2 grill to branch A1',
    $$update app.stations set branch_id = @br_a1, is_default = false where id = @st_a2
    returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{st_a2}'
),
(
    'removes the A2 grill',
    'delete from app.stations where id = @st_a2 returning id',
    '{st_a2}', '{st_a2}', '{st_a2}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'removes the B1 grill or a station that does not exist',
    'delete from app.stations where id in (@st_b1, @nope) returning id',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{st_b1}', '42501', '42501', null
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'stations',
    array['select_branch_stations', 'insert_as_manager', 'update_as_manager', 'delete_as_manager'],
    'app.stations has exactly its four policies: select, insert, update and delete in scope.'
);

select * from pg_temp.run_matrix('app.stations');

select * from finish();
rollback;
