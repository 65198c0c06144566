-- api.update_branch: only the owner edits a live branch; bad input changes nothing.
begin;
select plan(13);
set local search_path = public;

-- Fixtures, as the superuser. Restaurant A (branches A1, A2) and restaurant B (branch B1);
-- people: A's owner, manager, waiter, kitchen and a manager scoped to A1; B's owner, waiter.
insert into app.restaurants (id, name, slug, currency, timezone) values
('a0000000-0000-7000-8000-000000000001', 'A', 'pgtap-update-branch-a', 'EUR', 'Europe/Berlin'),
('b0000000-0000-7000-8000-000000000001', 'B', 'pgtap-update-branch-b', 'EUR', 'Europe/Berlin');
insert into app.branches (restaurant_id, id, name) values
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b1', 'A1'),
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b2', 'A2'),
('b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-0000000000b1', 'B1');
insert into app.users (id, email, name)
select
    (p.tenant || '0000000-0000-7000-8000-000000000a0' || p.n)::uuid as id,
    p.tenant || p.n || '@update-branch.test' as email,
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
update app.branches set address = 'Quay 1'
where id = 'a0000000-0000-7000-8000-0000000000b1';
insert into app.branches (restaurant_id, id, name, deleted_at) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b3', 'A3', now()
);
create temporary table before as select b.* from app.branches as b;

-- Persona: B's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "b0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "b0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.update_branch('a0000000-0000-7000-8000-0000000000b1', '{"name": "Mole"}')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

-- Persona: A's waiter.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a03", "role": "staff", "app_role": "waiter",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.update_branch('a0000000-0000-7000-8000-0000000000b1', '{"name": "Mine"}')$$,
    'BR403', null,
    'A waiter cannot edit a branch: forbidden (BR403).'
);

-- Persona: A's manager.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a02", "role": "staff", "app_role": "manager",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.update_branch('a0000000-0000-7000-8000-0000000000b1',
        '{"auto_accept": true}')$$,
    'BR403', null,
    'A manager cannot edit a branch: forbidden (BR403).'
);

-- Persona: A's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.update_branch('a0000000-0000-7000-8000-0000000000b1',
        '{"timezone": "Nowhere/Special"}')$$,
    'BR422', 'Unknown time zone.',
    'An unknown time zone is validation_failed (BR422).'
);
select throws_ok(
    $$select api.update_branch('a0000000-0000-7000-8000-0000000000b1', '{"name": null}')$$,
    'BR422', 'name is required.',
    'A name cannot be cleared: validation_failed (BR422).'
);
select throws_ok(
    $$select api.update_branch('a0000000-0000-7000-8000-0000000000b1', '{"colour": "red"}')$$,
    'BR422', 'Unknown field(s): colour.',
    'An unknown field is validation_failed (BR422).'
);
select throws_ok(
    $$select api.update_branch('a0000000-0000-7000-8000-0000000000b1', '{"name": "A2"}')$$,
    'BR409', null,
    'A name another branch has is branch_name_taken (BR409).'
);
select throws_ok(
    $$select api.update_branch('a0000000-0000-7000-8000-0000000000b3', '{"name": "Back"}')$$,
    'BR404', null,
    'A deleted branch cannot be edited (restore it first): not_found (BR404).'
);
select throws_ok(
    $$select api.update_branch('b0000000-0000-7000-8000-0000000000b1', '{"name": "Mine"}')$$,
    'BR404', null,
    'A''s owner gets not_found (BR404) for B''s branch.'
);

reset role;
select set_eq(
    'select b.* from app.branches as b',
    'select * from before',
    'After the refused calls every branch is as it was.'
);

-- Persona: A's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select results_eq(
    $$select b ->> 'name', b ->> 'address', (b ->> 'qr_requires_open_table')::boolean,
            b ->> 'timezone'
        from api.update_branch('a0000000-0000-7000-8000-0000000000b1',
            '{"name": "Old Town", "address": null, "qr_requires_open_table": true}') as b$$,
    $$values ('Old Town', null, true, null)$$,
    'The owner renames a branch, clears its address and changes a setting.'
);
select is(
    api.update_branch('a0000000-0000-7000-8000-0000000000b1', '{}') ->> 'name',
    'Old Town',
    'An empty patch changes nothing.'
);

reset role;
select is(
    (
        select b.name from app.branches as b
        where b.id = 'a0000000-0000-7000-8000-0000000000b1'
    ),
    'Old Town',
    'The change is in the table.'
);

select * from finish();
rollback;
