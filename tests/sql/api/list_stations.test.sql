-- api.list_stations: staff of a branch (the kitchen too) read its stations.
begin;
select plan(6);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app.stations (restaurant_id, id, branch_id, name) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000053',
    'a0000000-0000-7000-8000-0000000000b1', 'Bar'
);

-- Persona: B's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "b0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "b0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.list_stations('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

-- Persona: A's branch manager (A1 only).
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a05", "role": "staff", "app_role": "manager",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001",
    "branch_ids": ["a0000000-0000-7000-8000-0000000000b1"]}', true);

select throws_ok(
    $$select api.list_stations('a0000000-0000-7000-8000-0000000000b2')$$,
    'BR404', null,
    'A manager of A1 does not see A2''s stations: not_found (BR404).'
);

-- Persona: A's kitchen.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a04", "role": "staff", "app_role": "kitchen",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

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
