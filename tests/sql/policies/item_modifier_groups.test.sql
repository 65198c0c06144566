-- RLS persona matrix of app.item_modifier_groups: every staff member of the restaurant reads
-- which groups an item offers; owners and managers link and unlink them (an item never offers
-- another tenant's group); links are replaced, never updated, by request roles.
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/catalog.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the groups items offer',
    'select group_id from app.item_modifier_groups',
    '{mg_a}', '{mg_a}', '{mg_a}', '{mg_a}', '{mg_a}', '{mg_a}',
    '42501', '{mg_b}', '42501', '42501', null
),
(
    'looks up the links of the item of B',
    'select group_id from app.item_modifier_groups where item_id = @it_b',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{mg_b}', '42501', '42501', null
),
(
    'offers the Size of A with the Hummus',
    $$insert into app.item_modifier_groups (restaurant_id, item_id, group_id)
    values (@r_a, @it_a2, @mg_a) returning group_id$$,
    '{mg_a}', '{mg_a}', '{mg_a}', '{mg_a}', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'offers the Size of A a second time with the Chicken Shawarma',
    $$insert into app.item_modifier_groups (restaurant_id, item_id, group_id)
    values (@r_a, @it_a1, @mg_a) returning group_id$$,
    '23505', '23505', '23505', '23505', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'offers the group of B with an item of A',
    $$insert into app.item_modifier_groups (restaurant_id, item_id, group_id)
    values (@r_a, @it_a1, @mg_b) returning group_id$$,
    '23503', '23503', '23503', '23503', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'offers a group with the item of B',
    $$insert into app.item_modifier_groups (restaurant_id, item_id, group_id)
    values (@r_b, @it_b, @mg_b) returning group_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '23505', '42501', '42501', null
),
(
    'moves the Size of A to the end of the list',
    'update app.item_modifier_groups set position = 5 where item_id = @it_a1 returning group_id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{mg_a}'
),
(
    'stops offering the Size of A with the Chicken Shawarma',
    'delete from app.item_modifier_groups where item_id = @it_a1 returning group_id',
    '{mg_a}', '{mg_a}', '{mg_a}', '{mg_a}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'stops offering the group of B',
    'delete from app.item_modifier_groups where item_id = @it_b returning group_id',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{mg_b}', '42501', '42501', null
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'item_modifier_groups',
    array['select_same_restaurant', 'insert_as_manager', 'delete_as_manager'],
    'app.item_modifier_groups has exactly its three policies: staff read, managers link, unlink.'
);

select * from pg_temp.run_matrix('app.item_modifier_groups');

select * from finish();
rollback;
