-- api.open_table: front-of-house staff of the table's branch open one session at a time.
begin;
select plan(12);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app.dining_tables (restaurant_id, id, branch_id, label, deleted_at) values
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000d11',
    'a0000000-0000-7000-8000-0000000000b1', 'T1', null
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000d21',
    'a0000000-0000-7000-8000-0000000000b2', 'T2', null
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000d12',
    'a0000000-0000-7000-8000-0000000000b1', 'Gone', now()
),
(
    'b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-000000000d11',
    'b0000000-0000-7000-8000-0000000000b1', 'T1', null
);
create temporary table opened (session jsonb);
grant insert, select on opened to staff;

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.open_table('a0000000-0000-7000-8000-000000000d11')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404) for A''s table.'
);

select pg_temp.act_as('waiter_a');

select throws_ok(
    $$select api.open_table('b0000000-0000-7000-8000-000000000d11')$$,
    'BR404', null,
    'A''s waiter gets not_found (BR404) for B''s table.'
);

select pg_temp.act_as('kitchen_a');

select throws_ok(
    $$select api.open_table('a0000000-0000-7000-8000-000000000d11')$$,
    'BR403', null,
    'Kitchen staff see the table but cannot open it: forbidden (BR403).'
);

select pg_temp.act_as('manager_a1');

select throws_ok(
    $$select api.open_table('a0000000-0000-7000-8000-000000000d21')$$,
    'BR404', null,
    'A manager of A1 does not see a table of A2: not_found (BR404).'
);
select throws_ok(
    $$select api.open_table('a0000000-0000-7000-8000-000000000d12')$$,
    'BR404', null,
    'A deleted table cannot be opened: not_found (BR404).'
);

reset role;
select is_empty(
    'select 1 from app.table_sessions as s where pg_temp.ours(s.restaurant_id)',
    'After the refused calls no table session exists in either restaurant.'
);

select pg_temp.act_as('waiter_a');

insert into opened (session)
select api.open_table('a0000000-0000-7000-8000-000000000d11');

select results_eq(
    $$select (o.session ->> 'table_id')::uuid, (o.session ->> 'branch_id')::uuid,
            (o.session ->> 'opened_by')::uuid, o.session -> 'closed_at'
        from opened as o$$,
    $$values ('a0000000-0000-7000-8000-000000000d11'::uuid,
            'a0000000-0000-7000-8000-0000000000b1'::uuid,
            'a0000000-0000-7000-8000-000000000a03'::uuid, 'null'::jsonb)$$,
    'A waiter opens a table: the session names the table, its branch and who opened it.'
);
select throws_ok(
    $$select api.open_table('a0000000-0000-7000-8000-000000000d11')$$,
    'BR409', 'This table already has an open session.',
    'A table with an open session cannot be opened again: table_already_open (BR409).'
);

select pg_temp.act_as('manager_a');

select throws_ok(
    $$select api.open_table('a0000000-0000-7000-8000-000000000d11')$$,
    'BR409', null,
    'Nor by a manager: table_already_open (BR409).'
);
select lives_ok(
    $$select api.open_table('a0000000-0000-7000-8000-000000000d21')$$,
    'A manager of the whole restaurant opens a table of A2.'
);

reset role;
select results_eq(
    $$select s.id, s.table_id, s.closed_at from app.table_sessions as s
        where s.table_id = 'a0000000-0000-7000-8000-000000000d11'$$,
    $$select (o.session ->> 'session_id')::uuid,
            'a0000000-0000-7000-8000-000000000d11'::uuid, null::timestamptz
        from opened as o$$,
    'T1 has exactly the one open session the waiter opened.'
);
select is(
    (
        select count(*)::integer from app.table_sessions as s
        where pg_temp.ours(s.restaurant_id)
    ),
    2,
    'Exactly the two allowed calls opened a session.'
);

select * from finish();
rollback;
