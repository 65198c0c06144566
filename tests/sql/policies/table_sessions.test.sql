-- RLS persona matrix of app.table_sessions: staff read the sessions of their branches, a guest
-- only their own; front-of-house staff open sessions and close open ones in their branches,
-- for good; nobody moves, reopens or deletes one. A session's branch is its table's branch; the
-- staff it names (opened_by, closed_by) are the caller who opened or closed it, or nobody (the
-- policies), and members of its restaurant (foreign keys, the superuser's controls), so a person
-- of another tenant reads exactly like one who does not exist.
begin;
\ir _fixtures/matrix.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the sessions',
    'select id from app.table_sessions',
    '{s1,s2,s_a2,s_closed}', '{s1,s2,s_a2,s_closed}', '{s_a2}', '{s1,s2,s_closed}',
    '{s1,s2,s_a2,s_closed}', '{s1,s2,s_closed}',
    '{s1}', '{s_b}', '42501', '42501', null
),
(
    'looks up session S2',
    'select id from app.table_sessions where id = @s2',
    '{s2}', '{s2}', '{}', '{s2}', '{s2}', '{s2}',
    '{}', '{}', '42501', '42501', null
),
(
    'looks up the session of restaurant B or a session that does not exist',
    'select id from app.table_sessions where id in (@s_b, @nope)',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '{}', '{s_b}', '42501', '42501', null
),
(
    'opens a session at table A2-2',
    $$insert into app.table_sessions (restaurant_id, branch_id, table_id)
    values (@r_a, @br_a2, @tb_a2_2) returning table_id$$,
    '{tb_a2_2}', '{tb_a2_2}', '{tb_a2_2}', '42501', '{tb_a2_2}', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'opens a session at table A1-1, which session S1 holds open',
    $$insert into app.table_sessions (restaurant_id, branch_id, table_id)
    values (@r_a, @br_a1, @tb_a1_1) returning table_id$$,
    '23505', '23505', '42501', '23505', '23505', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'opens a session on branch A2 at table A1-3 of branch A1',
    $$insert into app.table_sessions (restaurant_id, branch_id, table_id)
    values (@r_a, @br_a2, @tb_a1_3) returning table_id$$,
    '23503', '23503', '23503', '42501', '23503', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'opens a session at table B1-1 of restaurant B',
    $$insert into app.table_sessions (restaurant_id, branch_id, table_id)
    values (@r_a, @br_a1, @tb_b1_1) returning table_id$$,
    '23503', '23503', '42501', '23503', '23503', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'opens a session at a table that does not exist',
    $$insert into app.table_sessions (restaurant_id, branch_id, table_id)
    values (@r_a, @br_a1, @nope) returning table_id$$,
    '23503', '23503', '42501', '23503', '23503', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'opens a session at table A2-2 in its own name',
    $$insert into app.table_sessions (restaurant_id, branch_id, table_id, opened_by)
    values (@r_a, @br_a2, @tb_a2_2, (select auth.user_id())) returning opened_by$$,
    '{u_owner_a}', '{u_manager_a}', '{u_manager_a2}', '42501', '{u_waiter_a}', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'opens a session at table A2-2 in the name of the owner of A',
    $$insert into app.table_sessions (restaurant_id, branch_id, table_id, opened_by)
    values (@r_a, @br_a2, @tb_a2_2, @u_owner_a) returning opened_by$$,
    '{u_owner_a}', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'opens a session at table A2-2 in the name of the owner of B',
    $$insert into app.table_sessions (restaurant_id, branch_id, table_id, opened_by)
    values (@r_a, @br_a2, @tb_a2_2, @u_owner_b) returning table_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
),
(
    'opens a session at table A2-2 in the name of a user that does not exist',
    $$insert into app.table_sessions (restaurant_id, branch_id, table_id, opened_by)
    values (@r_a, @br_a2, @tb_a2_2, @nope) returning table_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
),
(
    'closes session S1',
    $$update app.table_sessions set closed_at = now(), closed_by = (select auth.user_id())
    where id = @s1 returning id$$,
    '{s1}', '{s1}', '{}', '{s1}', '{s1}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'signs session S1 off as the waiter of A without closing it',
    'update app.table_sessions set closed_by = @u_waiter_a where id = @s1 returning id',
    '42501', '42501', '{}', '42501', '42501', '{}',
    '42501', '{}', '42501', '42501', '{s1}'
),
(
    'closes session S1 in the name of the owner of A',
    $$update app.table_sessions set closed_at = now(), closed_by = @u_owner_a where id = @s1
    returning id$$,
    '{s1}', '42501', '{}', '42501', '42501', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'closes session S1 in the name of the owner of B',
    $$update app.table_sessions set closed_at = now(), closed_by = @u_owner_b where id = @s1
    returning id$$,
    '42501', '42501', '{}', '42501', '42501', '{}',
    '42501', '{}', '42501', '42501', '23503'
),
(
    'reopens the closed session of table A1-3',
    $$update app.table_sessions set closed_at = null, closed_by = null where id = @s_closed
    returning id$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', '{s_closed}'
),
(
    'closes the closed session of table A1-3 again, in its own name',
    $$update app.table_sessions set closed_at = now(), closed_by = (select auth.user_id())
    where id = @s_closed returning id$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', '{s_closed}'
),
(
    'closes the session of restaurant B or a session that does not exist',
    'update app.table_sessions set closed_at = now() where id in (@s_b, @nope) returning id',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{s_b}', '42501', '42501', null
),
(
    'moves session S2 to table A1-3',
    'update app.table_sessions set table_id = @tb_a1_3 where id = @s2 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{s2}'
),
(
    -- Not even the superuser: table A2-2 is of branch A2, session S2 of A1.
    'moves session S2 to table A2-2 of branch A2',
    'update app.table_sessions set table_id = @tb_a2_2 where id = @s2 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
),
(
    'deletes session S2',
    'delete from app.table_sessions where id = @s2 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{s2}'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'table_sessions',
    array[
        'select_branch_sessions', 'select_own_session', 'insert_branch_session',
        'update_branch_session'
    ],
    'app.table_sessions has exactly its four policies: staff and guest reads, insert, update.'
);

select * from pg_temp.run_matrix('app.table_sessions');

select * from finish();
rollback;
