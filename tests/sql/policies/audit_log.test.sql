-- RLS persona matrix of audit.log: the owner and restaurant-wide managers read their
-- restaurant's trail (a manager scoped to some branches reads none: the trail spans branches),
-- platform admins the whole trail; nobody writes it but the audit trigger, and nobody, not even
-- the superuser, updates, deletes or truncates it. The fixture rows wrote the trail read here.
begin;
\ir _fixtures/matrix.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the restaurants whose trail it reads',
    'select distinct restaurant_id from audit.log',
    '{r_a}', '{r_a}', '{}', '{}', '{}', '{}',
    '42501', '{r_b}', '{r_a,r_b,r_c,NULL}', '42501', null
),
(
    'reads the trail of the stations',
    $$select row_id from audit.log where table_name = 'app.stations'$$,
    '{st_a1,st_a2}', '{st_a1,st_a2}', '{}', '{}', '{}', '{}',
    '42501', '{st_b1}', '{st_a1,st_a2,st_b1}', '42501', null
),
(
    'reads the trail of the users, which belong to no restaurant',
    $$select row_id from audit.log where table_name = 'app.users'$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}',
    '{u_owner_a,u_manager_a,u_owner2_a,u_manager_a2,u_manager_a1,u_waiter_a,u_kitchen_a,'
    || 'u_removed_a,u_shared,u_owner_b,u_waiter_b,u_admin,u_loner}',
    '42501', null
),
(
    'writes an audit row for restaurant A',
    $$insert into audit.log (restaurant_id, table_name, action)
    values (@r_a, 'app.forged', 'insert') returning table_name$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{app.forged}'
),
(
    'rewrites the trail of restaurant A',
    $$update audit.log set actor_role = 'nobody' where restaurant_id = @r_a
    returning restaurant_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', 'BR403'
),
(
    'deletes the trail of restaurant A',
    'delete from audit.log where restaurant_id = @r_a returning restaurant_id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', 'BR403'
);

select plan(pg_temp.matrix_plan() + 4);

select policies_are(
    'audit', 'log',
    array['select_own_restaurant', 'select_as_platform_admin'],
    'audit.log has exactly its two policies, both for reading: own restaurant, and as admin.'
);

select * from pg_temp.run_matrix('audit.log');

create temporary table audit_before as
select pg_temp.snapshot('audit.log') as digest;

select set_config(
    'request.jwt.claims',
    (
        select p.claims::text
        from pg_temp.personas as p
        where p.key = 'owner_a'
    ),
    true
);
set local role staff;
select throws_ok(
    'truncate audit.log', '42501', null,
    'The owner of restaurant A cannot TRUNCATE audit.log: refused with SQLSTATE 42501.'
);
reset role;
select set_config('request.jwt.claims', '', true);

set local role brigade_owner;
select throws_ok(
    'truncate audit.log', 'BR403', null,
    'Not even the role that owns audit.log truncates it: the append-only trigger refuses with '
    || 'SQLSTATE BR403.'
);
reset role;

select is(
    pg_temp.snapshot('audit.log'), (select b.digest from pg_temp.audit_before as b),
    'After both refused TRUNCATEs the superuser reads the same audit trail as before.'
);

select * from finish();
rollback;
