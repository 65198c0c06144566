-- RLS persona matrix of app.categories: every staff member of the restaurant reads its
-- categories; owners and managers add and edit them; nobody reaches another tenant's, and no
-- request role deletes a row (a category is soft-deleted by api.delete_category).
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/catalog.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the categories',
    'select id from app.categories',
    '{cat_a,cat_a_empty,cat_a_gone}', '{cat_a,cat_a_empty,cat_a_gone}',
    '{cat_a,cat_a_empty,cat_a_gone}', '{cat_a,cat_a_empty,cat_a_gone}',
    '{cat_a,cat_a_empty,cat_a_gone}', '{cat_a,cat_a_empty,cat_a_gone}',
    '42501', '{cat_b}', '42501', '42501', null
),
(
    'looks up the category of B or one that does not exist',
    'select id from app.categories where id in (@cat_b, @nope)',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{cat_b}', '42501', '42501', null
),
(
    'adds a category to restaurant A',
    $$insert into app.categories (restaurant_id, name) values (@r_a, 'Grill') returning name$$,
    '{Grill}', '{Grill}', '{Grill}', '{Grill}', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'adds a category to restaurant B',
    $$insert into app.categories (restaurant_id, name) values (@r_b, 'Stolen') returning name$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '{Stolen}', '42501', '42501', null
),
(
    'renames the Mains of A',
    $$update app.categories set name = 'Plates' where id = @cat_a returning id$$,
    '{cat_a}', '{cat_a}', '{cat_a}', '{cat_a}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'hides the category of B or one that does not exist',
    'update app.categories set visible = false where id in (@cat_b, @nope) returning id',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{cat_b}', '42501', '42501', null
),
(
    'moves the Mains of A to restaurant B',
    'update app.categories set restaurant_id = @r_b where id = @cat_a returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
),
(
    'deletes the empty Desserts of A for good',
    'delete from app.categories where id = @cat_a_empty returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{cat_a_empty}'
),
(
    'deletes the category of B for good',
    'delete from app.categories where id = @cat_b returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'categories',
    array['select_same_restaurant', 'insert_as_manager', 'update_as_manager'],
    'app.categories has exactly its three policies: staff read, managers insert and update.'
);

select * from pg_temp.run_matrix('app.categories');

select * from finish();
rollback;
