-- RLS persona matrix of app.branches: staff read the live branches of their scope (the owner
-- also the deleted ones), a guest the branch of their table; only the owner opens, edits,
-- soft-deletes and restores branches; nobody deletes one or moves it to another tenant.
begin;
\ir _fixtures/matrix.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the branches',
    'select id from app.branches',
    '{br_a1,br_a2,br_a3}', '{br_a1,br_a2}', '{br_a2}', '{br_a1}', '{br_a1,br_a2}', '{br_a1}',
    '{br_a1}', '{br_b1}', '{br_a1,br_a2,br_a3,br_b1}', '42501', null
),
(
    'looks up branch B1 or a branch that does not exist',
    'select id from app.branches where id in (@br_b1, @nope)',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '{}', '{br_b1}', '{br_b1}', '42501', null
),
(
    'opens a branch in restaurant A',
    $$insert into app.branches (restaurant_id, name) values (@r_a, 'Alpha Station')
    returning name$$,
    '{Alpha Station}', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'opens a branch in restaurant B',
    $$insert into app.branches (restaurant_id, name) values (@r_b, 'Bravo Pier')
    returning name$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '{Bravo Pier}', '42501', '42501', null
),
(
    'opens a branch in a restaurant that does not exist',
    $$insert into app.branches (restaurant_id, name) values (@nope, 'Nowhere')
    returning name$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
),
(
    'renames branch A2',
    $$update app.branches set name = 'Alpha Quay' where id = @br_a2 returning id$$,
    '{br_a2}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'soft-deletes branch A2',
    'update app.branches set deleted_at = now() where id = @br_a2 returning id',
    '{br_a2}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'restores the deleted branch A3',
    'update app.branches set deleted_at = null where id = @br_a3 returning id',
    '{br_a3}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'renames branch B1 or a branch that does not exist',
    $$update app.branches set name = 'Mine' where id in (@br_b1, @nope) returning id$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{br_b1}', '42501', '42501', null
),
(
    'moves the deleted branch A3 to restaurant B',
    'update app.branches set restaurant_id = @r_b where id = @br_a3 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{br_a3}'
),
(
    'deletes the deleted branch A3 for good',
    'delete from app.branches where id = @br_a3 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{br_a3}'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'branches',
    array[
        'select_visible_branches', 'select_own_branch', 'select_as_platform_admin',
        'insert_as_owner', 'update_as_owner'
    ],
    'app.branches has exactly its five policies: three for reading, insert and update as owner.'
);

select * from pg_temp.run_matrix('app.branches');

select * from finish();
rollback;
