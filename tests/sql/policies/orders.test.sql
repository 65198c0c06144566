-- RLS persona matrix of app.orders: staff read the orders of the branches in their scope, a
-- guest only the orders of their own table session; nobody writes a row directly (no grant):
-- orders are placed, moved and cancelled only through the SECURITY DEFINER api functions,
-- which check the claims and the state machine first.
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/orders.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the orders',
    'select id from app.orders',
    '{o_s1,o_s1_new,o_s2,o_a2}', '{o_s1,o_s1_new,o_s2,o_a2}', '{o_a2}', '{o_s1,o_s1_new,o_s2}',
    '{o_s1,o_s1_new,o_s2,o_a2}', '{o_s1,o_s1_new,o_s2}',
    '{o_s1,o_s1_new}', '{o_b}', '42501', '42501', null
),
(
    'looks up the order of session S2, at the next table of branch A1',
    'select id from app.orders where id = @o_s2',
    '{o_s2}', '{o_s2}', '{}', '{o_s2}', '{o_s2}', '{o_s2}',
    '{}', '{}', '42501', '42501', null
),
(
    'looks up the orders of session S1 by their session',
    'select id from app.orders where session_id = @s1',
    '{o_s1,o_s1_new}', '{o_s1,o_s1_new}', '{}', '{o_s1,o_s1_new}', '{o_s1,o_s1_new}',
    '{o_s1,o_s1_new}',
    '{o_s1,o_s1_new}', '{}', '42501', '42501', null
),
(
    'looks up the order of restaurant B or an order that does not exist',
    'select id from app.orders where id in (@o_b, @nope)',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '{}', '{o_b}', '42501', '42501', null
),
(
    'places an order in session S1 without the api',
    $$insert into app.orders (
        restaurant_id, branch_id, session_id, number, business_date, currency, subtotal, total,
        tax_rate_bp, tax_inclusive, service_charge_bp, placed_by_role
    ) values (@r_a, @br_a1, @s1, 99, current_date, 'EUR', 0, 0, 0, false, 0, 'customer')
    returning session_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{s1}'
),
(
    'makes the S1 order free',
    'update app.orders set subtotal = 0, total = 0 where id = @o_s1 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{o_s1}'
),
(
    'marks every order of restaurant B served',
    $$update app.orders set status = 'served' where restaurant_id = @r_b returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{o_b}'
),
(
    'deletes the S1 order that is not sent yet',
    'delete from app.orders where id = @o_s1_new returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
);

select plan(pg_temp.matrix_plan() + 5);

select policies_are(
    'app', 'orders',
    array['select_branch_orders', 'select_session_orders'],
    'app.orders has exactly its two read policies: staff by branch, a guest by table session.'
);

select table_privs_are(
    'app', 'orders', 'staff', array['SELECT'],
    'staff may only SELECT app.orders: every write goes through an api function.'
);

select table_privs_are(
    'app', 'orders', 'customer', array['SELECT'],
    'customer may only SELECT app.orders: every write goes through an api function.'
);

select table_privs_are(
    'app', 'orders', 'anon', array[]::text[],
    'anon has no privilege on app.orders.'
);

select table_privs_are(
    'app', 'orders', 'platform', array[]::text[],
    'platform has no privilege on app.orders.'
);

select * from pg_temp.run_matrix('app.orders');

select * from finish();
rollback;
