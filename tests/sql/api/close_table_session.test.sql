-- api.close_table_session: front-of-house staff close a session; it keeps its history and
-- its guests' tokens stop working at once.
begin;
select plan(13);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app.dining_tables (restaurant_id, id, branch_id, label) values
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000d11',
    'a0000000-0000-7000-8000-0000000000b1', 'T1'
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000d21',
    'a0000000-0000-7000-8000-0000000000b2', 'T2'
),
(
    'b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-000000000d11',
    'b0000000-0000-7000-8000-0000000000b1', 'T1'
);
insert into app.table_sessions (restaurant_id, id, branch_id, table_id, closed_at) values
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000e11',
    'a0000000-0000-7000-8000-0000000000b1', 'a0000000-0000-7000-8000-000000000d11', null
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000e21',
    'a0000000-0000-7000-8000-0000000000b2', 'a0000000-0000-7000-8000-000000000d21', now()
),
(
    'b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-000000000e11',
    'b0000000-0000-7000-8000-0000000000b1', 'b0000000-0000-7000-8000-000000000d11', null
);

select pg_temp.act_as('owner_a');

select throws_ok(
    $$select api.close_table_session('b0000000-0000-7000-8000-000000000e11')$$,
    'BR404', null,
    'Another restaurant''s session is not_found (BR404), even for an owner.'
);

select pg_temp.act_as('kitchen_a');

select throws_ok(
    $$select api.close_table_session('a0000000-0000-7000-8000-000000000e11')$$,
    'BR403', null,
    'Kitchen staff cannot close a table: forbidden (BR403).'
);

select pg_temp.act_as('manager_a2');

select throws_ok(
    $$select api.close_table_session('a0000000-0000-7000-8000-000000000e11')$$,
    'BR404', null,
    'A manager of A2 does not see a session of A1: not_found (BR404).'
);

reset role;
select results_eq(
    $$select s.id, s.closed_at is null from app.table_sessions as s
        where pg_temp.ours(s.restaurant_id) order by s.id$$,
    $$values ('a0000000-0000-7000-8000-000000000e11'::uuid, true),
        ('a0000000-0000-7000-8000-000000000e21'::uuid, false),
        ('b0000000-0000-7000-8000-000000000e11'::uuid, true)$$,
    'After the refused calls the open sessions are still open.'
);

-- Positive control for the guest: their token works while the session is open.
select pg_temp.act_as('customer_t1');
select lives_ok(
    'select auth.assert_active()',
    'A guest''s token for an open session is accepted.'
);

select pg_temp.act_as('waiter_a');

select results_eq(
    $$select s ->> 'session_id', s ->> 'closed_by', s -> 'closed_at' <> 'null'::jsonb
        from api.close_table_session('a0000000-0000-7000-8000-000000000e11') as s$$,
    $$values ('a0000000-0000-7000-8000-000000000e11', 'a0000000-0000-7000-8000-000000000a03',
        true)$$,
    'A waiter closes the session; it records when and by whom.'
);
select throws_ok(
    $$select api.close_table_session('a0000000-0000-7000-8000-000000000e11')$$,
    'BR409', 'This table session is already closed.',
    'Closing it again is session_already_closed (BR409).'
);
select throws_ok(
    $$select api.close_table_session('a0000000-0000-7000-8000-000000000e21')$$,
    'BR409', null,
    'A session closed earlier cannot be closed again either (BR409).'
);
select lives_ok(
    $$select api.open_table('a0000000-0000-7000-8000-000000000d11')$$,
    'Once closed, the table can be opened again.'
);

select pg_temp.act_as('customer_t1');
select throws_ok(
    'select auth.assert_active()',
    'BR401', 'This table session is closed.',
    'The guest''s token of the closed session stops working at once (BR401).'
);

reset role;
select is(
    (
        select count(*)::integer from app.table_sessions
        where table_id = 'a0000000-0000-7000-8000-000000000d11'
    ),
    2,
    'Closed sessions keep their history: T1 has the closed one and the new one.'
);
select isnt(
    (
        select closed_at from app.table_sessions
        where id = 'a0000000-0000-7000-8000-000000000e11'
    ),
    null,
    'The closed session is closed in the table.'
);
select is(
    (
        select closed_at from app.table_sessions
        where id = 'b0000000-0000-7000-8000-000000000e11'
    ),
    null,
    'B''s session is untouched.'
);

select * from finish();
rollback;
