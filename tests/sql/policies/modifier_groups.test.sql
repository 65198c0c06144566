-- RLS persona matrix of app.modifier_groups: every staff member of the restaurant reads its
-- groups; owners and managers add and edit them; nobody reaches another tenant's, and no
-- request role deletes a row.
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/catalog.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the modifier groups',
    'select id from app.modifier_groups',
    '{mg_a,mg_a_gone}', '{mg_a,mg_a_gone}', '{mg_a,mg_a_gone}',
    '{mg_a,mg_a_gone}', '{mg_a,mg_a_gone}', '{mg_a,mg_a_gone}',
    '42501', '{mg_b}', '42501', '42501', null
),
(
    'looks up the group of B or one that does not exist',
    'select id from app.modifier_groups where id in (@mg_b, @nope)',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{mg_b}', '42501', '42501', null
),
(
    'adds a group to restaurant A',
    $$insert into app.modifier_groups (restaurant_id, name) values (@r_a, 'Extras')
    returning name$$,
    '{Extras}', '{Extras}', '{Extras}', '{Extras}', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'adds a group to restaurant B',
    $$insert into app.modifier_groups (restaurant_id, name) values (@r_b, 'Stolen')
    returning name$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '{Stolen}', '42501', '42501', null
),
(
    'lets guests pick two sizes of A',
    'update app.modifier_groups set max_select = 2 where id = @mg_a returning id',
    '{mg_a}', '{mg_a}', '{mg_a}', '{mg_a}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'makes the Size of A require more than it allows',
    'update app.modifier_groups set min_select = 3 where id = @mg_a returning id',
    '23514', '23514', '23514', '23514', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'renames the group of B or one that does not exist',
    $$update app.modifier_groups set name = 'Mine' where id in (@mg_b, @nope) returning id$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{mg_b}', '42501', '42501', null
),
(
    'deletes the old group of A for good',
    'delete from app.modifier_groups where id = @mg_a_gone returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{mg_a_gone}'
),
(
    'deletes the group of B, which an item offers, for good',
    'delete from app.modifier_groups where id = @mg_b returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'modifier_groups',
    array['select_same_restaurant', 'insert_as_manager', 'update_as_manager'],
    'app.modifier_groups has exactly its three policies: staff read, managers insert and update.'
);

select * from pg_temp.run_matrix('app.modifier_groups');

select * from finish();
rollback;
