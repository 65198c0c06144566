-- RLS persona matrix of app.order_items: staff read the order lines of the branches in their
-- scope, a guest only the lines of their own table session (branch and session are copied onto
-- each line, so the policies need no join); nobody writes a line directly (no grant): lines are
-- added, priced, sent, worked and cancelled only through the SECURITY DEFINER api functions.
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/orders.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the order lines',
    'select id from app.order_items',
    '{oi_s1_a,oi_s1_b,oi_s1_new,oi_s2,oi_a2}', '{oi_s1_a,oi_s1_b,oi_s1_new,oi_s2,oi_a2}',
    '{oi_a2}', '{oi_s1_a,oi_s1_b,oi_s1_new,oi_s2}',
    '{oi_s1_a,oi_s1_b,oi_s1_new,oi_s2,oi_a2}', '{oi_s1_a,oi_s1_b,oi_s1_new,oi_s2}',
    '{oi_s1_a,oi_s1_b,oi_s1_new}', '{oi_b}', '42501', '42501', null
),
(
    'looks up the lines of the order of session S2, at the next table of branch A1',
    'select id from app.order_items where order_id = @o_s2',
    '{oi_s2}', '{oi_s2}', '{}', '{oi_s2}', '{oi_s2}', '{oi_s2}',
    '{}', '{}', '42501', '42501', null
),
(
    'looks up the lines on the A1 grill''s ticket of order S1',
    'select id from app.order_items where ticket_id = @tk_s1',
    '{oi_s1_a,oi_s1_b}', '{oi_s1_a,oi_s1_b}', '{}', '{oi_s1_a,oi_s1_b}', '{oi_s1_a,oi_s1_b}',
    '{oi_s1_a,oi_s1_b}',
    '{oi_s1_a,oi_s1_b}', '{}', '42501', '42501', null
),
(
    'looks up the line of restaurant B or a line that does not exist',
    'select id from app.order_items where id in (@oi_b, @nope)',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '{}', '{oi_b}', '42501', '42501', null
),
(
    'adds a free shawarma to the S1 order without the api',
    $$insert into app.order_items (
        restaurant_id, order_id, branch_id, session_id, item_id, category_id, name, quantity,
        unit_price
    ) values (@r_a, @o_s1_new, @br_a1, @s1, @it_a1, @cat_a, 'Free lunch', 1, 0)
    returning name$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{Free lunch}'
),
(
    'makes a line of the S1 order free',
    'update app.order_items set unit_price = 0 where id = @oi_s1_a returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{oi_s1_a}'
),
(
    'bumps the lines of restaurant B',
    $$update app.order_items set status = 'ready' where restaurant_id = @r_b returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{oi_b}'
),
(
    'deletes the line of the S1 order that is not sent yet',
    'delete from app.order_items where id = @oi_s1_new returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{oi_s1_new}'
);

select plan(pg_temp.matrix_plan() + 5);

select policies_are(
    'app', 'order_items',
    array['select_branch_order_items', 'select_session_order_items'],
    'app.order_items has exactly its two read policies: staff by branch, a guest by table session.'
);

select table_privs_are(
    'app', 'order_items', 'staff', array['SELECT'],
    'staff may only SELECT app.order_items: every write goes through an api function.'
);

select table_privs_are(
    'app', 'order_items', 'customer', array['SELECT'],
    'customer may only SELECT app.order_items: every write goes through an api function.'
);

select table_privs_are(
    'app', 'order_items', 'anon', array[]::text[],
    'anon has no privilege on app.order_items.'
);

select table_privs_are(
    'app', 'order_items', 'platform', array[]::text[],
    'platform has no privilege on app.order_items.'
);

select * from pg_temp.run_matrix('app.order_items');

select * from finish();
rollback;
