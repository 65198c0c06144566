-- RLS persona matrix of app.order_status_changes: staff read the transition history of the
-- orders of the branches in their scope; a guest reads none of it (who moved an order names
-- staff: the guest follows the order's status instead); nobody writes, rewrites or erases the
-- history directly (no grant): app_private.move_order records each transition.
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/orders.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the status changes',
    'select id from app.order_status_changes',
    '{sc_s1_placed,sc_s1_accepted,sc_s1_new,sc_s2,sc_a2}',
    '{sc_s1_placed,sc_s1_accepted,sc_s1_new,sc_s2,sc_a2}',
    '{sc_a2}', '{sc_s1_placed,sc_s1_accepted,sc_s1_new,sc_s2}',
    '{sc_s1_placed,sc_s1_accepted,sc_s1_new,sc_s2,sc_a2}',
    '{sc_s1_placed,sc_s1_accepted,sc_s1_new,sc_s2}',
    '{}', '{sc_b}', '42501', '42501', null
),
(
    'looks up the history of the S1 order',
    'select id from app.order_status_changes where order_id = @o_s1',
    '{sc_s1_placed,sc_s1_accepted}', '{sc_s1_placed,sc_s1_accepted}', '{}',
    '{sc_s1_placed,sc_s1_accepted}', '{sc_s1_placed,sc_s1_accepted}',
    '{sc_s1_placed,sc_s1_accepted}',
    '{}', '{}', '42501', '42501', null
),
(
    'looks up the history of restaurant B or a change that does not exist',
    'select id from app.order_status_changes where id in (@sc_b, @nope)',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '{}', '{sc_b}', '42501', '42501', null
),
(
    'records that the S1 order was served',
    $$insert into app.order_status_changes (
        restaurant_id, order_id, branch_id, from_status, to_status, actor_role
    ) values (@r_a, @o_s1, @br_a1, 'accepted', 'served', 'waiter')
    returning order_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{o_s1}'
),
(
    'rewrites who accepted the S1 order',
    $$update app.order_status_changes set actor_user_id = null, actor_role = 'customer'
    where id = @sc_s1_accepted returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{sc_s1_accepted}'
),
(
    'erases the history of restaurant B',
    'delete from app.order_status_changes where restaurant_id = @r_b returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{sc_b}'
);

select plan(pg_temp.matrix_plan() + 5);

select policies_are(
    'app', 'order_status_changes',
    array['select_branch_changes'],
    'app.order_status_changes has exactly one policy: staff read the history of their branches.'
);

select table_privs_are(
    'app', 'order_status_changes', 'staff', array['SELECT'],
    'staff may only SELECT app.order_status_changes: the history is written by move_order.'
);

select table_privs_are(
    'app', 'order_status_changes', 'customer', array['SELECT'],
    'customer holds only SELECT on app.order_status_changes, and no policy lets a guest read.'
);

select table_privs_are(
    'app', 'order_status_changes', 'anon', array[]::text[],
    'anon has no privilege on app.order_status_changes.'
);

select table_privs_are(
    'app', 'order_status_changes', 'platform', array[]::text[],
    'platform has no privilege on app.order_status_changes.'
);

select * from pg_temp.run_matrix('app.order_status_changes');

select * from finish();
rollback;
