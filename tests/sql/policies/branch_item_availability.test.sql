-- RLS persona matrix of app.branch_item_availability (the 86 list): every staff member of the
-- restaurant reads it; any staff member marks items sold out or back at the branches of their
-- scope (the kitchen knows first); nobody reaches another tenant's, and rows are never deleted
-- or moved by request roles.
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/catalog.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists what is sold out',
    'select item_id from app.branch_item_availability',
    '{it_a2}', '{it_a2}', '{it_a2}', '{it_a2}', '{it_a2}', '{it_a2}',
    '42501', '{it_b}', '42501', '42501', null
),
(
    'looks up what is sold out at B1',
    'select item_id from app.branch_item_availability where branch_id = @br_b1',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{it_b}', '42501', '42501', null
),
(
    '86es the Chicken Shawarma at A1',
    $$insert into app.branch_item_availability (restaurant_id, branch_id, item_id, available)
    values (@r_a, @br_a1, @it_a1, false) returning item_id$$,
    '{it_a1}', '{it_a1}', '42501', '{it_a1}', '{it_a1}', '{it_a1}',
    '42501', '42501', '42501', '42501', null
),
(
    '86es the Chicken Shawarma at A2',
    $$insert into app.branch_item_availability (restaurant_id, branch_id, item_id, available)
    values (@r_a, @br_a2, @it_a1, false) returning item_id$$,
    '{it_a1}', '{it_a1}', '{it_a1}', '42501', '{it_a1}', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    '86es an item of A at branch B1',
    $$insert into app.branch_item_availability (restaurant_id, branch_id, item_id, available)
    values (@r_a, @br_b1, @it_a1, false) returning item_id$$,
    '23503', '23503', '42501', '42501', '23503', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    '86es the item of B at B1 a second time',
    $$insert into app.branch_item_availability (restaurant_id, branch_id, item_id, available)
    values (@r_b, @br_b1, @it_b, false) returning item_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '23505', '42501', '42501', null
),
(
    'brings the Hummus back at A1',
    'update app.branch_item_availability set available = true where item_id = @it_a2 returning item_id',
    '{it_a2}', '{it_a2}', '{}', '{it_a2}', '{it_a2}', '{it_a2}',
    '42501', '{}', '42501', '42501', null
),
(
    'brings the item of B back at B1',
    'update app.branch_item_availability set available = true where item_id = @it_b returning item_id',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{it_b}', '42501', '42501', null
),
(
    'moves the 86 of the Hummus to A2',
    $$update app.branch_item_availability set branch_id = @br_a2 where item_id = @it_a2
    returning item_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{it_a2}'
),
(
    'forgets the 86 of the Hummus',
    'delete from app.branch_item_availability where item_id = @it_a2 returning item_id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{it_a2}'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'branch_item_availability',
    array['select_same_restaurant', 'insert_branch_staff', 'update_branch_staff'],
    'app.branch_item_availability has exactly its three policies: staff read, branch staff write.'
);

select * from pg_temp.run_matrix('app.branch_item_availability');

select * from finish();
rollback;
