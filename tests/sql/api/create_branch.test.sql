-- api.create_branch: only the owner opens a branch, always with a default station.
begin;
select plan(11);
set local search_path = public;

\ir _fixtures/tenants.ddl

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.create_branch('a0000000-0000-7000-8000-000000000001', '{"name": "Mole"}')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404) for A.'
);

select pg_temp.act_as('manager_a');

select throws_ok(
    $$select api.create_branch('a0000000-0000-7000-8000-000000000001', '{"name": "Pop-up"}')$$,
    'BR403', null,
    'A manager cannot open a branch: forbidden (BR403).'
);

select pg_temp.act_as('waiter_a');

select throws_ok(
    $$select api.create_branch('a0000000-0000-7000-8000-000000000001', '{"name": "Pop-up"}')$$,
    'BR403', null,
    'A waiter cannot open a branch: forbidden (BR403).'
);

select pg_temp.act_as('owner_a');

select throws_ok(
    $$select api.create_branch('a0000000-0000-7000-8000-000000000001',
        '{"name": "Mars", "timezone": "Mars/Olympus"}')$$,
    'BR422', 'Unknown time zone.',
    'An unknown time zone is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_branch('a0000000-0000-7000-8000-000000000001', '{"name": "  "}')$$,
    'BR422', null,
    'A blank name is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_branch('a0000000-0000-7000-8000-000000000001',
        '{"name": "Flags", "auto_accept": "yes"}')$$,
    'BR422', 'auto_accept must be true or false.',
    'A setting that is not a boolean is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_branch('a0000000-0000-7000-8000-000000000001', '{"name": "A1"}')$$,
    'BR409', null,
    'A name the restaurant already uses is branch_name_taken (BR409).'
);

reset role;
select is(
    (
        select count(*)::integer from app.branches as b
        where pg_temp.ours(b.restaurant_id)
    ),
    3,
    'After the refused calls no branch was added anywhere.'
);

select pg_temp.act_as('owner_a');

select results_eq(
    $$select b ->> 'name', b ->> 'timezone', (b ->> 'auto_accept')::boolean,
            (b ->> 'qr_requires_open_table')::boolean
        from api.create_branch('a0000000-0000-7000-8000-000000000001',
            '{"name": "Harbour", "timezone": "Europe/Lisbon", "auto_accept": true}') as b$$,
    $$values ('Harbour', 'Europe/Lisbon', true, false)$$,
    'The owner opens a branch with the settings given, defaults for the rest.'
);

select pg_temp.act_as('owner_b');

select lives_ok(
    $$select api.create_branch('b0000000-0000-7000-8000-000000000001', '{"name": "A1"}')$$,
    'Names are unique per restaurant: B may call a branch A1 too.'
);

reset role;
select results_eq(
    $$select s.name, s.is_default from app.stations as s
        inner join app.branches as b on s.restaurant_id = b.restaurant_id and s.branch_id = b.id
        where b.name = 'Harbour'$$,
    $$values ('Kitchen', true)$$,
    'The new branch has its default station, so an order always has somewhere to go.'
);

select * from finish();
rollback;
