-- RLS persona matrix of app.dining_tables: staff read the live tables of their branches (owners
-- and managers also the deleted ones: a manager must still see the table they just deleted);
-- owners and managers add, edit and soft-delete them in their scope, only the owner touches a
-- deleted one, to restore it; guests read no table row (they hold no
-- grant); the QR token and the branch are never chosen or changed through a grant.
begin;
\ir _fixtures/matrix.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the tables',
    'select id from app.dining_tables',
    '{tb_a1_1,tb_a1_2,tb_a1_3,tb_a1_gone,tb_a2_1,tb_a2_2}',
    '{tb_a1_1,tb_a1_2,tb_a1_3,tb_a1_gone,tb_a2_1,tb_a2_2}', '{tb_a2_1,tb_a2_2}',
    '{tb_a1_1,tb_a1_2,tb_a1_3,tb_a1_gone}', '{tb_a1_1,tb_a1_2,tb_a1_3,tb_a2_1,tb_a2_2}',
    '{tb_a1_1,tb_a1_2,tb_a1_3}',
    '42501', '{tb_b1_1}', '42501', '42501', null
),
(
    'looks up the QR token of table B1-1 or a QR token nobody has',
    $$select id from app.dining_tables where qr_token in ('qr-b1-1', 'qr-nobody')$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{tb_b1_1}', '42501', '42501', null
),
(
    'adds a table to branch A2',
    $$insert into app.dining_tables (restaurant_id, branch_id, label)
    values (@r_a, @br_a2, 'A2-3') returning label$$,
    '{A2-3}', '{A2-3}', '{A2-3}', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'adds a table to restaurant A on branch B1 of restaurant B',
    $$insert into app.dining_tables (restaurant_id, branch_id, label)
    values (@r_a, @br_b1, 'Stolen') returning label$$,
    '23503', '23503', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'adds a table to restaurant A on a branch that does not exist',
    $$insert into app.dining_tables (restaurant_id, branch_id, label)
    values (@r_a, @nope, 'Nowhere') returning label$$,
    '23503', '23503', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'adds a table to branch A2 with a QR token of its choosing',
    $$insert into app.dining_tables (restaurant_id, branch_id, label, qr_token)
    values (@r_a, @br_a2, 'A2-4', 'qr-chosen') returning label$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{A2-4}'
),
(
    'seats six at table A2-1',
    'update app.dining_tables set seats = 6 where id = @tb_a2_1 returning id',
    '{tb_a2_1}', '{tb_a2_1}', '{tb_a2_1}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'soft-deletes table A2-2',
    'update app.dining_tables set deleted_at = now() where id = @tb_a2_2 returning id',
    '{tb_a2_2}', '{tb_a2_2}', '{tb_a2_2}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'restores the deleted table A1-9',
    'update app.dining_tables set deleted_at = null where id = @tb_a1_gone returning id',
    '{tb_a1_gone}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'seats six at the deleted table A1-9',
    'update app.dining_tables set seats = 6 where id = @tb_a1_gone returning id',
    '{tb_a1_gone}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'relabels table B1-1 or a table that does not exist',
    $$update app.dining_tables set label = 'Mine' where id in (@tb_b1_1, @nope) returning id$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{tb_b1_1}', '42501', '42501', null
),
(
    'sets the QR token of table A2-1',
    $$update app.dining_tables set qr_token = 'qr-chosen' where id = @tb_a2_1 returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{tb_a2_1}'
),
(
    'moves table A2-2 to branch A1',
    'update app.dining_tables set branch_id = @br_a1 where id = @tb_a2_2 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{tb_a2_2}'
),
(
    -- Not even the superuser: the session S_A2 holds it to branch A2.
    'moves table A2-1 to branch A1',
    'update app.dining_tables set branch_id = @br_a1 where id = @tb_a2_1 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
),
(
    'deletes the deleted table A1-9 for good',
    'delete from app.dining_tables where id = @tb_a1_gone returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{tb_a1_gone}'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'dining_tables',
    array['select_branch_tables', 'insert_as_manager', 'update_as_manager'],
    'app.dining_tables has exactly its three policies: read, insert and update in scope.'
);

select * from pg_temp.run_matrix('app.dining_tables');

select * from finish();
rollback;
