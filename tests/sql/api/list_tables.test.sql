-- api.list_tables: staff of a branch read its live tables with QR tokens and open sessions.
begin;
select plan(6);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app.dining_tables (restaurant_id, id, branch_id, label, deleted_at) values
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000d11',
    'a0000000-0000-7000-8000-0000000000b1', 'T1', null
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000d12',
    'a0000000-0000-7000-8000-0000000000b1', 'T2', null
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000d13',
    'a0000000-0000-7000-8000-0000000000b1', 'Gone', now()
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000d21',
    'a0000000-0000-7000-8000-0000000000b2', 'T1', null
);
insert into app.table_sessions (restaurant_id, id, branch_id, table_id, closed_at) values
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000e11',
    'a0000000-0000-7000-8000-0000000000b1', 'a0000000-0000-7000-8000-000000000d11', now()
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000e12',
    'a0000000-0000-7000-8000-0000000000b1', 'a0000000-0000-7000-8000-000000000d12', null
);

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.list_tables('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

select pg_temp.act_as('manager_a1');

select throws_ok(
    $$select api.list_tables('a0000000-0000-7000-8000-0000000000b2')$$,
    'BR404', null,
    'A manager of A1 does not see A2''s tables: not_found (BR404).'
);

select pg_temp.act_as('waiter_a');

select results_eq(
    $$select t.item ->> 'label', t.item ->> 'open_session_id'
        from jsonb_array_elements(
            api.list_tables('a0000000-0000-7000-8000-0000000000b1') -> 'items'
        ) as t (item)$$,
    $$values ('T1', null), ('T2', 'a0000000-0000-7000-8000-000000000e12')$$,
    'A waiter reads A1''s live tables with the open session of each (closed ones do not count).'
);
select is(
    (
        select bool_and(t.item ->> 'qr_token' is not null)
        from jsonb_array_elements(
            api.list_tables('a0000000-0000-7000-8000-0000000000b1') -> 'items'
        ) as t (item)
    ),
    true,
    'Staff see each table''s QR token (to print it).'
);
select is(
    api.list_tables('a0000000-0000-7000-8000-0000000000b1', 1) ->> 'next_cursor',
    'a0000000-0000-7000-8000-000000000d11',
    'A page of one has a cursor at its table.'
);

select pg_temp.act_as('kitchen_a');

select is(
    jsonb_array_length(api.list_tables('a0000000-0000-7000-8000-0000000000b2') -> 'items'),
    1,
    'Kitchen staff of the whole restaurant read A2''s table too.'
);

select * from finish();
rollback;
