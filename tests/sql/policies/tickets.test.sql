-- RLS persona matrix of app.tickets: staff (kitchen devices included) read the tickets of the
-- branches in their scope; a guest never reads a ticket, not even one of their own order (the
-- role may SELECT, but no policy lets a customer through); nobody writes a ticket directly (no
-- grant): tickets are made, worked and cancelled only through the SECURITY DEFINER api functions.
begin;
\ir _fixtures/matrix.ddl
\ir _fixtures/orders.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the tickets',
    'select id from app.tickets',
    '{tk_s1,tk_s2,tk_a2}', '{tk_s1,tk_s2,tk_a2}', '{tk_a2}', '{tk_s1,tk_s2}',
    '{tk_s1,tk_s2,tk_a2}', '{tk_s1,tk_s2}',
    '{}', '{tk_b}', '42501', '42501', null
),
(
    'looks up the ticket of the S1 order',
    'select id from app.tickets where order_id = @o_s1',
    '{tk_s1}', '{tk_s1}', '{}', '{tk_s1}', '{tk_s1}', '{tk_s1}',
    '{}', '{}', '42501', '42501', null
),
(
    'looks up the ticket of branch A2',
    'select id from app.tickets where id = @tk_a2',
    '{tk_a2}', '{tk_a2}', '{tk_a2}', '{}', '{tk_a2}', '{}',
    '{}', '{}', '42501', '42501', null
),
(
    'looks up the ticket of restaurant B or a ticket that does not exist',
    'select id from app.tickets where id in (@tk_b, @nope)',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '{}', '{tk_b}', '42501', '42501', null
),
(
    'sends the S1 order to the A1 grill a second time without the api',
    $$insert into app.tickets (restaurant_id, branch_id, order_id, station_id)
    values (@r_a, @br_a1, @o_s1, @st_a1) returning order_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{o_s1}'
),
(
    'bumps the S1 ticket without its lines',
    $$update app.tickets set status = 'ready', ready_at = now() where id = @tk_s1 returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{tk_s1}'
),
(
    'rushes the ticket of restaurant B',
    'update app.tickets set rush = true where id = @tk_b returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{tk_b}'
),
(
    'removes the S2 ticket from the A1 grill',
    'delete from app.tickets where id = @tk_s2 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
);

select plan(pg_temp.matrix_plan() + 5);

select policies_are(
    'app', 'tickets',
    array['select_branch_tickets'],
    'app.tickets has exactly one policy: staff read the tickets of their branches (no guest).'
);

select table_privs_are(
    'app', 'tickets', 'staff', array['SELECT'],
    'staff may only SELECT app.tickets: every write goes through an api function.'
);

select table_privs_are(
    'app', 'tickets', 'customer', array['SELECT'],
    'customer holds only SELECT on app.tickets, and no policy lets a guest read a row.'
);

select table_privs_are(
    'app', 'tickets', 'anon', array[]::text[],
    'anon has no privilege on app.tickets.'
);

select table_privs_are(
    'app', 'tickets', 'platform', array[]::text[],
    'platform has no privilege on app.tickets.'
);

select * from pg_temp.run_matrix('app.tickets');

select * from finish();
rollback;
