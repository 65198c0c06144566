-- RLS persona matrix of app.users: a person reads and renames themselves; owners and managers
-- read and rename the people of their restaurant (managers not its removed staff, and only an
-- owner renames an owner); platform admins read everyone; nobody creates, deletes or
-- re-addresses a user through a table grant.
begin;
\ir _fixtures/matrix.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the users',
    'select id from app.users',
    '{u_owner_a,u_manager_a,u_owner2_a,u_manager_a2,u_manager_a1,u_waiter_a,u_kitchen_a,'
    || 'u_removed_a,u_shared}',
    '{u_owner_a,u_manager_a,u_owner2_a,u_manager_a2,u_manager_a1,u_waiter_a,u_kitchen_a,'
    || 'u_shared}',
    '{u_owner_a,u_manager_a,u_owner2_a,u_manager_a2,u_manager_a1,u_waiter_a,u_kitchen_a,'
    || 'u_shared}',
    '{u_owner_a,u_manager_a,u_owner2_a,u_manager_a2,u_manager_a1,u_waiter_a,u_kitchen_a,'
    || 'u_shared}',
    '{u_waiter_a}', '{u_kitchen_a}',
    '42501', '{u_owner_b,u_waiter_b,u_shared}',
    '{u_owner_a,u_manager_a,u_owner2_a,u_manager_a2,u_manager_a1,u_waiter_a,u_kitchen_a,'
    || 'u_removed_a,u_shared,u_owner_b,u_waiter_b,u_admin,u_loner}',
    '42501', null
),
(
    'looks up the email of the owner of B or an email nobody has',
    $$select id from app.users where email in ('owner@bravo.test', 'nobody@nowhere.test')$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{u_owner_b}', '{u_owner_b}', '42501', null
),
(
    'creates a user',
    $$insert into app.users (email, name) values ('new@alpha.test', 'Nia New') returning name$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{Nia New}'
),
(
    'renames themselves',
    $$update app.users set name = 'Me Myself' where id = (select auth.user_id()) returning id$$,
    '{u_owner_a}', '{u_manager_a}', '{u_manager_a2}', '{u_manager_a1}', '{u_waiter_a}',
    '{u_kitchen_a}',
    '42501', '{u_owner_b}', '42501', '42501', null
),
(
    'renames the waiter of A',
    $$update app.users set name = 'Wes W.' where id = @u_waiter_a returning id$$,
    '{u_waiter_a}', '{u_waiter_a}', '{u_waiter_a}', '{u_waiter_a}', '{u_waiter_a}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'renames the owner of A',
    $$update app.users set name = 'Olga O.' where id = @u_owner_a returning id$$,
    '{u_owner_a}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'renames Otto, the other owner of A',
    $$update app.users set name = 'Otto O.' where id = @u_owner2_a returning id$$,
    '{u_owner2_a}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'renames the removed waiter of A',
    $$update app.users set name = 'Rita R.' where id = @u_removed_a returning id$$,
    '{u_removed_a}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    -- Sam works in A and in B. A user is one person across tenants, so whoever may rename Sam
    -- renames Sam for both restaurants: the owner of B changes what A reads. Pinned as it is.
    'renames a person who works for both A and B',
    $$update app.users set name = 'Sam S.' where id = @u_shared returning id$$,
    '{u_shared}', '{u_shared}', '{u_shared}', '{u_shared}', '{}', '{}',
    '42501', '{u_shared}', '42501', '42501', null
),
(
    'renames the owner of B, a person of no restaurant or a user that does not exist',
    $$update app.users set name = 'Mine' where id in (@u_owner_b, @u_loner, @nope) returning id$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{u_owner_b}', '42501', '42501', null
),
(
    'changes the email of the waiter of A',
    $$update app.users set email = 'wes@evil.test' where id = @u_waiter_a returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{u_waiter_a}'
),
(
    'deletes the person of no restaurant',
    'delete from app.users where id = @u_loner returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{u_loner}'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'users',
    array['select_self_and_colleagues', 'select_as_platform_admin', 'update_self_or_colleague'],
    'app.users has exactly its three policies: read self and colleagues, read as admin, rename.'
);

select * from pg_temp.run_matrix('app.users');

select * from finish();
rollback;
