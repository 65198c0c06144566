-- api.create_table: owners and managers add tables to branches in their scope; the QR
-- token is random and never chosen by the caller.
begin;
select plan(11);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app.dining_tables (restaurant_id, id, branch_id, label, deleted_at) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000d19',
    'a0000000-0000-7000-8000-0000000000b1', 'Old', now()
);

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.create_table('a0000000-0000-7000-8000-0000000000b1', '{"label": "T1"}')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

select pg_temp.act_as('waiter_a');

select throws_ok(
    $$select api.create_table('a0000000-0000-7000-8000-0000000000b1', '{"label": "T1"}')$$,
    'BR403', null,
    'A waiter cannot add tables: forbidden (BR403).'
);

select pg_temp.act_as('manager_a1');

select throws_ok(
    $$select api.create_table('a0000000-0000-7000-8000-0000000000b2', '{"label": "T1"}')$$,
    'BR404', null,
    'A manager of A1 does not see A2: not_found (BR404).'
);
select throws_ok(
    $$select api.create_table('a0000000-0000-7000-8000-0000000000b1',
        '{"label": "T1", "seats": 0}')$$,
    'BR422', 'seats must be a whole number from 1 to 100.',
    'Zero seats is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_table('a0000000-0000-7000-8000-0000000000b1',
        '{"label": "T1", "qr_token": "chosen"}')$$,
    'BR422', 'Unknown field(s): qr_token.',
    'A caller cannot choose the QR token (BR422).'
);

reset role;
select is(
    (
        select count(*)::integer from app.dining_tables as t
        where pg_temp.ours(t.restaurant_id)
    ),
    1,
    'After the refused calls no table was added.'
);

select pg_temp.act_as('manager_a1');

select results_eq(
    $$select t ->> 'label', (t ->> 'seats')::integer, t -> 'open_session_id',
            length(t ->> 'qr_token') >= 24
        from api.create_table('a0000000-0000-7000-8000-0000000000b1',
            '{"label": "T1", "seats": 4}') as t$$,
    $$values ('T1', 4, 'null'::jsonb, true)$$,
    'A manager of A1 adds a table: it comes with a long random QR token and no session.'
);
select throws_ok(
    $$select api.create_table('a0000000-0000-7000-8000-0000000000b1', '{"label": "T1"}')$$,
    'BR409', null,
    'A label the branch already uses is table_label_taken (BR409).'
);
select is(
    (
        api.create_table('a0000000-0000-7000-8000-0000000000b1', '{"label": "Old"}')
        ->> 'seats'
    )::integer,
    2,
    'A deleted table''s label can be used again; seats default to two.'
);

reset role;
select is(
    (
        select count(distinct t.qr_token)::integer from app.dining_tables as t
        where pg_temp.ours(t.restaurant_id)
    ),
    3,
    'Every table has its own QR token.'
);
select is(
    (
        select count(*)::integer from app.dining_tables
        where restaurant_id = 'a0000000-0000-7000-8000-000000000001' and deleted_at is null
    ),
    2,
    'Exactly the two allowed calls added a table.'
);

select * from finish();
rollback;
