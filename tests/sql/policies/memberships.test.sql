-- RLS persona matrix of app.memberships: owners and managers read the staff of their restaurant,
-- removed staff included (a manager must still see the row they just removed), and change and
-- remove the live ones (only an owner touches an owner); only the owner touches removed staff,
-- to restore them; everyone else reads only their own live membership; platform admins read all;
-- memberships are made and dropped by api functions. The sessions and device codes of the
-- fixtures name their staff by membership, which pins those memberships to their person and
-- restaurant (the superuser's controls).
begin;
\ir _fixtures/matrix.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the memberships',
    'select id from app.memberships',
    '{m_owner_a,m_manager_a,m_owner2_a,m_manager_a2,m_manager_a1,m_waiter_a,m_kitchen_a,'
    || 'm_removed_a,m_shared_a}',
    '{m_owner_a,m_manager_a,m_owner2_a,m_manager_a2,m_manager_a1,m_waiter_a,m_kitchen_a,'
    || 'm_removed_a,m_shared_a}',
    '{m_owner_a,m_manager_a,m_owner2_a,m_manager_a2,m_manager_a1,m_waiter_a,m_kitchen_a,'
    || 'm_removed_a,m_shared_a}',
    '{m_owner_a,m_manager_a,m_owner2_a,m_manager_a2,m_manager_a1,m_waiter_a,m_kitchen_a,'
    || 'm_removed_a,m_shared_a}',
    '{m_waiter_a}', '{m_kitchen_a}',
    '42501', '{m_owner_b,m_waiter_b,m_shared_b}',
    '{m_owner_a,m_manager_a,m_owner2_a,m_manager_a2,m_manager_a1,m_waiter_a,m_kitchen_a,'
    || 'm_removed_a,m_shared_a,m_owner_b,m_waiter_b,m_shared_b}',
    '42501', null
),
(
    'looks up the removed membership of A',
    'select id from app.memberships where id = @m_removed_a',
    '{m_removed_a}', '{m_removed_a}', '{m_removed_a}', '{m_removed_a}', '{}', '{}',
    '42501', '{}', '{m_removed_a}', '42501', null
),
(
    'looks up the waiter of B or a membership that does not exist',
    'select id from app.memberships where id in (@m_waiter_b, @nope)',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{m_waiter_b}', '{m_waiter_b}', '42501', null
),
(
    'adds the person of no restaurant to A as a waiter',
    $$insert into app.memberships (restaurant_id, user_id, role)
    values (@r_a, @u_loner, 'waiter') returning user_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{u_loner}'
),
(
    'promotes the waiter of A to manager',
    $$update app.memberships set role = 'manager' where id = @m_waiter_a returning id$$,
    '{m_waiter_a}', '{m_waiter_a}', '{m_waiter_a}', '{m_waiter_a}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'makes the waiter of A an owner',
    $$update app.memberships set role = 'owner' where id = @m_waiter_a returning id$$,
    '{m_waiter_a}', '42501', '42501', '42501', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'removes the waiter of A',
    'update app.memberships set deleted_at = now() where id = @m_waiter_a returning id',
    '{m_waiter_a}', '{m_waiter_a}', '{m_waiter_a}', '{m_waiter_a}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'removes the owner of A',
    'update app.memberships set deleted_at = now() where id = @m_owner_a returning id',
    '{m_owner_a}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'restores the removed waiter of A',
    'update app.memberships set deleted_at = null where id = @m_removed_a returning id',
    '{m_removed_a}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'promotes the removed waiter of A to manager',
    $$update app.memberships set role = 'manager' where id = @m_removed_a returning id$$,
    '{m_removed_a}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'removes the waiter of B or a membership that does not exist',
    'update app.memberships set deleted_at = now() where id in (@m_waiter_b, @nope) returning id',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{m_waiter_b}', '42501', '42501', null
),
(
    -- Not even the superuser: the sessions the waiter opened name them as a member of A.
    'moves the waiter of A to restaurant B',
    'update app.memberships set restaurant_id = @r_b where id = @m_waiter_a returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
),
(
    -- Not even the superuser: those sessions name the waiter's person, not another.
    'gives the waiter of A to another person',
    'update app.memberships set user_id = @u_loner where id = @m_waiter_a returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
),
(
    'gives the removed membership of A, which names no session or code, to another person',
    'update app.memberships set user_id = @u_loner where id = @m_removed_a returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{m_removed_a}'
),
(
    'deletes the removed membership of A',
    'delete from app.memberships where id = @m_removed_a returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{m_removed_a}'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'memberships',
    array['select_same_restaurant', 'select_as_platform_admin', 'update_as_manager'],
    'app.memberships has exactly its three policies: read in restaurant, read as admin, update.'
);

select * from pg_temp.run_matrix('app.memberships');

select * from finish();
rollback;
