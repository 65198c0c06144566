-- api.create_branch: only the owner opens a branch, always with a default station.
begin;
select plan(11);
set local search_path = public;

-- Fixtures, as the superuser. Restaurant A (branches A1, A2) and restaurant B (branch B1);
-- people: A's owner, manager, waiter, kitchen and a manager scoped to A1; B's owner, waiter.
insert into app.restaurants (id, name, slug, currency, timezone) values
('a0000000-0000-7000-8000-000000000001', 'A', 'pgtap-create-branch-a', 'EUR', 'Europe/Berlin'),
('b0000000-0000-7000-8000-000000000001', 'B', 'pgtap-create-branch-b', 'EUR', 'Europe/Berlin');
insert into app.branches (restaurant_id, id, name) values
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b1', 'A1'),
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b2', 'A2'),
('b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-0000000000b1', 'B1');
insert into app.users (id, email, name)
select
    (p.tenant || '0000000-0000-7000-8000-000000000a0' || p.n)::uuid as id,
    p.tenant || p.n || '@create-branch.test' as email,
    p.tenant || p.n as name
from (values ('a', 1), ('a', 2), ('a', 3), ('a', 4), ('a', 5), ('b', 1), ('b', 3)) as p (tenant, n);
insert into app.memberships (restaurant_id, id, user_id, role)
select
    (p.tenant || '0000000-0000-7000-8000-000000000001')::uuid,
    (p.tenant || '0000000-0000-7000-8000-000000000c0' || p.n)::uuid,
    (p.tenant || '0000000-0000-7000-8000-000000000a0' || p.n)::uuid,
    p.role
from (
    values
    ('a', 1, 'owner'), ('a', 2, 'manager'), ('a', 3, 'waiter'), ('a', 4, 'kitchen'),
    ('a', 5, 'manager'), ('b', 1, 'owner'), ('b', 3, 'waiter')
) as p (tenant, n, role);
insert into app.membership_branches (restaurant_id, membership_id, branch_id) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000c05',
    'a0000000-0000-7000-8000-0000000000b1'
);
insert into app.stations (restaurant_id, id, branch_id, name, is_default) values
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000051',
    'a0000000-0000-7000-8000-0000000000b1', 'Kitchen', true
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000052',
    'a0000000-0000-7000-8000-0000000000b2', 'Kitchen', true
),
(
    'b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-000000000051',
    'b0000000-0000-7000-8000-0000000000b1', 'Kitchen', true
);

-- Persona: B's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "b0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "b0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.create_branch('a0000000-0000-7000-8000-000000000001', '{"name": "Mole"}')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404) for A.'
);

-- Persona: A's manager.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a02", "role": "staff", "app_role": "manager",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.create_branch('a0000000-0000-7000-8000-000000000001', '{"name": "Pop-up"}')$$,
    'BR403', null,
    'A manager cannot open a branch: forbidden (BR403).'
);

-- Persona: A's waiter.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a03", "role": "staff", "app_role": "waiter",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.create_branch('a0000000-0000-7000-8000-000000000001', '{"name": "Pop-up"}')$$,
    'BR403', null,
    'A waiter cannot open a branch: forbidden (BR403).'
);

-- Persona: A's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

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
    (select count(*)::integer from app.branches),
    3,
    'After the refused calls no branch was added anywhere.'
);

-- Persona: A's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select results_eq(
    $$select b ->> 'name', b ->> 'timezone', (b ->> 'auto_accept')::boolean,
            (b ->> 'qr_requires_open_table')::boolean
        from api.create_branch('a0000000-0000-7000-8000-000000000001',
            '{"name": "Harbour", "timezone": "Europe/Lisbon", "auto_accept": true}') as b$$,
    $$values ('Harbour', 'Europe/Lisbon', true, false)$$,
    'The owner opens a branch with the settings given, defaults for the rest.'
);

-- Persona: B's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "b0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "b0000000-0000-7000-8000-000000000001"}', true);

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
