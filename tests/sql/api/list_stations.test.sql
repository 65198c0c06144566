-- api.list_stations: staff of a branch (the kitchen too) read its stations.
begin;
select plan(6);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app.stations (restaurant_id, id, branch_id, name) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000053',
    'a0000000-0000-7000-8000-0000000000b1', 'Bar'
);

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.list_stations('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

select pg_temp.act_as('manager_a1');

select throws_ok(
    $$select api.list_stations('a0000000-0000-7000-8000-0000000000b2')$$,
    'BR404', null,
    'A manager of A1 does not see A2''s stations: not_found (BR404).'
);

select pg_temp.act_as('kitchen_a');

select results_eq(
    $$select s.item ->> 'name', (s.item ->> 'is_default')::boolean
        from jsonb_array_elements(
            api.list_stations('a0000000-0000-7000-8000-0000000000b1') -> 'items'
        ) as s (item)$$,
    $$values ('Kitchen', true), ('Bar', false)$$,
    'Kitchen staff read A1''s stations, in id order.'
);
select is(
    api.list_stations('a0000000-0000-7000-8000-0000000000b1', 1) ->> 'next_cursor',
    'a0000000-0000-7000-8000-000000000051',
    'A page of one has a cursor ...'
);
select is(
    api.list_stations(
        'a0000000-0000-7000-8000-0000000000b1', 1, 'a0000000-0000-7000-8000-000000000051'
    ) -> 'items' -> 0 ->> 'name',
    'Bar',
    '... and the cursor leads to the next station.'
);
select throws_ok(
    $$select api.list_stations('a0000000-0000-7000-8000-0000000000b1', -1)$$,
    'BR422', null,
    'A negative page size is validation_failed (BR422).'
);

select * from finish();
rollback;
