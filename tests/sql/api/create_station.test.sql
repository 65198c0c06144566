-- api.create_station: owners and managers add stations to branches in their scope.
begin;
select plan(10);
set local search_path = public;

\ir _fixtures/tenants.ddl

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.create_station('a0000000-0000-7000-8000-0000000000b1', '{"name": "Grill"}')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

select pg_temp.act_as('waiter_a');

select throws_ok(
    $$select api.create_station('a0000000-0000-7000-8000-0000000000b1', '{"name": "Grill"}')$$,
    'BR403', null,
    'A waiter cannot add stations: forbidden (BR403).'
);

select pg_temp.act_as('manager_a1');

select throws_ok(
    $$select api.create_station('a0000000-0000-7000-8000-0000000000b2', '{"name": "Grill"}')$$,
    'BR404', null,
    'A manager of A1 does not see A2: not_found (BR404).'
);
select throws_ok(
    $$select api.create_station('a0000000-0000-7000-8000-0000000000b1',
        '{"name": "Grill", "category_ids": ["a0000000-0000-7000-8000-0000000000b1"]}')$$,
    'BR422', 'category_ids names an unknown category.',
    'An id that is not a category of the restaurant is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_station('a0000000-0000-7000-8000-0000000000b1',
        '{"name": "Grill", "target_seconds": 5}')$$,
    'BR422', 'target_seconds must be a whole number from 30 to 7200.',
    'A target time out of range is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_station('a0000000-0000-7000-8000-0000000000b1', '{"name": "Kitchen"}')$$,
    'BR409', null,
    'A name the branch already uses is station_name_taken (BR409).'
);

reset role;
select is(
    (
        select count(*)::integer from app.stations as s
        where pg_temp.ours(s.restaurant_id)
    ),
    3,
    'After the refused calls no station was added.'
);

select pg_temp.act_as('manager_a1');

select results_eq(
    $$select s ->> 'name', (s ->> 'is_default')::boolean, (s ->> 'target_seconds')::integer,
            s -> 'category_ids'
        from api.create_station('a0000000-0000-7000-8000-0000000000b1',
            '{"name": "Grill", "category_ids": [], "target_seconds": 420}') as s$$,
    $$values ('Grill', false, 420, '[]'::jsonb)$$,
    'A manager of A1 adds a station to A1.'
);

select pg_temp.act_as('owner_a');

select is(
    (
        api.create_station('a0000000-0000-7000-8000-0000000000b2', '{"name": "Grill"}')
        ->> 'target_seconds'
    )::integer,
    600,
    'The same name in another branch is fine; the target time defaults to ten minutes.'
);

reset role;
select is(
    (
        select count(*)::integer from app.stations
        where is_default and pg_temp.ours(restaurant_id)
    ),
    3,
    'New stations are never the default one.'
);

select * from finish();
rollback;
