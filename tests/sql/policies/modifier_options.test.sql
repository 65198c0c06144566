-- RLS persona matrix of app.modifier_options: every staff member of the restaurant reads the
-- options; owners and managers add, edit and remove them; never in another tenant's group.
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/catalog.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the options',
    'select id from app.modifier_options',
    '{op_a_small,op_a_large}', '{op_a_small,op_a_large}', '{op_a_small,op_a_large}',
    '{op_a_small,op_a_large}', '{op_a_small,op_a_large}', '{op_a_small,op_a_large}',
    '42501', '{op_b}', '42501', '42501', null
),
(
    'looks up the option of B or one that does not exist',
    'select id from app.modifier_options where id in (@op_b, @nope)',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{op_b}', '42501', '42501', null
),
(
    'adds an option to the Size of A',
    $$insert into app.modifier_options (restaurant_id, group_id, name, price_delta)
    values (@r_a, @mg_a, 'Medium', 200) returning name$$,
    '{Medium}', '{Medium}', '{Medium}', '{Medium}', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'adds an option to restaurant A in the group of B',
    $$insert into app.modifier_options (restaurant_id, group_id, name)
    values (@r_a, @mg_b, 'Smuggled') returning name$$,
    '23503', '23503', '23503', '23503', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'adds an option to the group of B',
    $$insert into app.modifier_options (restaurant_id, group_id, name)
    values (@r_b, @mg_b, 'Mash') returning name$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '{Mash}', '42501', '42501', null
),
(
    'reprices the Large option of A',
    'update app.modifier_options set price_delta = 500 where id = @op_a_large returning id',
    '{op_a_large}', '{op_a_large}', '{op_a_large}', '{op_a_large}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'reprices the option of B or one that does not exist',
    'update app.modifier_options set price_delta = 0 where id in (@op_b, @nope) returning id',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{op_b}', '42501', '42501', null
),
(
    'moves the Large option of A to another group',
    'update app.modifier_options set group_id = @mg_a_gone where id = @op_a_large returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{op_a_large}'
),
(
    'removes the Small option of A',
    'delete from app.modifier_options where id = @op_a_small returning id',
    '{op_a_small}', '{op_a_small}', '{op_a_small}', '{op_a_small}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'removes the option of B or one that does not exist',
    'delete from app.modifier_options where id in (@op_b, @nope) returning id',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{op_b}', '42501', '42501', null
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'modifier_options',
    array['select_same_restaurant', 'insert_as_manager', 'update_as_manager', 'delete_as_manager'],
    'app.modifier_options has exactly its four policies: staff read, managers write.'
);

select * from pg_temp.run_matrix('app.modifier_options');

select * from finish();
rollback;
