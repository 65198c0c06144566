-- RLS persona matrix of app.membership_branches: staff read the branch scopes of their
-- restaurant; owners and managers of the whole restaurant assign and remove them, and only an
-- owner scopes an owner. A scope is a limit: no row means the whole restaurant, so removing one
-- widens access, and a manager scoped to some branches changes no scope at all (not their own,
-- not one on a branch of theirs): whoever may edit scopes could widen their own.
begin;
\ir _fixtures/matrix.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the branch scopes',
    $$select membership_id::text || '/' || branch_id::text from app.membership_branches$$,
    '{m_owner2_a/br_a2,m_manager_a2/br_a2,m_manager_a1/br_a1,m_kitchen_a/br_a1}',
    '{m_owner2_a/br_a2,m_manager_a2/br_a2,m_manager_a1/br_a1,m_kitchen_a/br_a1}',
    '{m_owner2_a/br_a2,m_manager_a2/br_a2,m_manager_a1/br_a1,m_kitchen_a/br_a1}',
    '{m_owner2_a/br_a2,m_manager_a2/br_a2,m_manager_a1/br_a1,m_kitchen_a/br_a1}',
    '{m_owner2_a/br_a2,m_manager_a2/br_a2,m_manager_a1/br_a1,m_kitchen_a/br_a1}',
    '{m_owner2_a/br_a2,m_manager_a2/br_a2,m_manager_a1/br_a1,m_kitchen_a/br_a1}',
    '42501', '{m_waiter_b/br_b1}', '42501', '42501', null
),
(
    'scopes the waiter of A to branch A2',
    $$insert into app.membership_branches (restaurant_id, membership_id, branch_id)
    values (@r_a, @m_waiter_a, @br_a2)
    returning membership_id::text || '/' || branch_id::text$$,
    '{m_waiter_a/br_a2}', '{m_waiter_a/br_a2}', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'adds branch A1 to the scope of the manager of A2',
    $$insert into app.membership_branches (restaurant_id, membership_id, branch_id)
    values (@r_a, @m_manager_a2, @br_a1)
    returning membership_id::text || '/' || branch_id::text$$,
    '{m_manager_a2/br_a1}', '{m_manager_a2/br_a1}', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'scopes the owner of A to branch A2',
    $$insert into app.membership_branches (restaurant_id, membership_id, branch_id)
    values (@r_a, @m_owner_a, @br_a2)
    returning membership_id::text || '/' || branch_id::text$$,
    '{m_owner_a/br_a2}', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'scopes the waiter of A to branch B1 of restaurant B',
    $$insert into app.membership_branches (restaurant_id, membership_id, branch_id)
    values (@r_a, @m_waiter_a, @br_b1)
    returning membership_id::text || '/' || branch_id::text$$,
    '23503', '23503', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    -- The policy looks the membership up in A: one of B's reads as missing, not as foreign.
    'scopes the waiter of B to branch A1',
    $$insert into app.membership_branches (restaurant_id, membership_id, branch_id)
    values (@r_a, @m_waiter_b, @br_a1)
    returning membership_id::text || '/' || branch_id::text$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
),
(
    'scopes a membership that does not exist to branch A1',
    $$insert into app.membership_branches (restaurant_id, membership_id, branch_id)
    values (@r_a, @nope, @br_a1)
    returning membership_id::text || '/' || branch_id::text$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
),
(
    'moves the kitchen of A from branch A1 to A2',
    $$update app.membership_branches set branch_id = @br_a2
    where membership_id = @m_kitchen_a and branch_id = @br_a1
    returning membership_id::text || '/' || branch_id::text$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{m_kitchen_a/br_a2}'
),
(
    'takes the manager of A2 off branch A2',
    $$delete from app.membership_branches
    where membership_id = @m_manager_a2 and branch_id = @br_a2
    returning membership_id::text || '/' || branch_id::text$$,
    '{m_manager_a2/br_a2}', '{m_manager_a2/br_a2}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'takes the kitchen of A off branch A1',
    $$delete from app.membership_branches
    where membership_id = @m_kitchen_a and branch_id = @br_a1
    returning membership_id::text || '/' || branch_id::text$$,
    '{m_kitchen_a/br_a1}', '{m_kitchen_a/br_a1}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'takes Otto, the other owner of A, off branch A2',
    $$delete from app.membership_branches
    where membership_id = @m_owner2_a and branch_id = @br_a2
    returning membership_id::text || '/' || branch_id::text$$,
    '{m_owner2_a/br_a2}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'takes the waiter of B off branch B1, or removes a scope that does not exist',
    $$delete from app.membership_branches where membership_id in (@m_waiter_b, @nope)
    returning membership_id::text || '/' || branch_id::text$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{m_waiter_b/br_b1}', '42501', '42501', null
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'membership_branches',
    array['select_same_restaurant', 'insert_as_manager', 'delete_as_manager'],
    'app.membership_branches has exactly its three policies: read, insert and delete.'
);

select * from pg_temp.run_matrix('app.membership_branches');

select * from finish();
rollback;
