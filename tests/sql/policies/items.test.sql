-- RLS persona matrix of app.items: every staff member of the restaurant reads its items;
-- owners and managers add and edit them (never in another tenant's category); no request
-- role deletes a row (api.delete_item soft-deletes) or writes the search vector.
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/catalog.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the items',
    'select id from app.items',
    '{it_a1,it_a2,it_a_gone}', '{it_a1,it_a2,it_a_gone}', '{it_a1,it_a2,it_a_gone}',
    '{it_a1,it_a2,it_a_gone}', '{it_a1,it_a2,it_a_gone}', '{it_a1,it_a2,it_a_gone}',
    '42501', '{it_b}', '42501', '42501', null
),
(
    'looks up the item of B or one that does not exist',
    'select id from app.items where id in (@it_b, @nope)',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{it_b}', '42501', '42501', null
),
(
    'adds an item to the Mains of A',
    $$insert into app.items (restaurant_id, category_id, name, price)
    values (@r_a, @cat_a, 'Falafel', 700) returning name$$,
    '{Falafel}', '{Falafel}', '{Falafel}', '{Falafel}', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'adds an item to restaurant A in the category of B',
    $$insert into app.items (restaurant_id, category_id, name, price)
    values (@r_a, @cat_b, 'Smuggled', 700) returning name$$,
    '23503', '23503', '23503', '23503', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'adds an item to restaurant B',
    $$insert into app.items (restaurant_id, category_id, name, price)
    values (@r_b, @cat_b, 'Pasty', 500) returning name$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '{Pasty}', '42501', '42501', null
),
(
    'adds an item to A at a negative price',
    $$insert into app.items (restaurant_id, category_id, name, price)
    values (@r_a, @cat_a, 'Refund', -1) returning name$$,
    '23514', '23514', '23514', '23514', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'reprices the Chicken Shawarma of A',
    'update app.items set price = 2000 where id = @it_a1 returning id',
    '{it_a1}', '{it_a1}', '{it_a1}', '{it_a1}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'reprices the item of B or one that does not exist',
    'update app.items set price = 1 where id in (@it_b, @nope) returning id',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{it_b}', '42501', '42501', null
),
(
    'writes the search vector of the Hummus by hand',
    $$update app.items set search = to_tsvector('simple', 'x') where id = @it_a2 returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{it_a2}'
),
(
    'deletes the retired item of A for good',
    'delete from app.items where id = @it_a_gone returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{it_a_gone}'
),
(
    'deletes the item of B for good',
    'delete from app.items where id = @it_b returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{it_b}'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'items',
    array['select_same_restaurant', 'insert_as_manager', 'update_as_manager'],
    'app.items has exactly its three policies: staff read, managers insert and update.'
);

select * from pg_temp.run_matrix('app.items');

select * from finish();
rollback;
