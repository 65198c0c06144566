-- api.delete_branch: the owner soft-deletes a branch; it disappears for everyone else.
begin;
select plan(8);
set local search_path = public;

-- Fixtures, as the superuser. Restaurant A (branches A1, A2) and restaurant B (branch B1);
-- people: A's owner, manager, waiter, kitchen and a manager scoped to A1; B's owner, waiter.
insert into app.restaurants (id, name, slug, currency, timezone) values
('a0000000-0000-7000-8000-000000000001', 'A', 'pgtap-delete-branch-a', 'EUR', 'Europe/Berlin'),
('b0000000-0000-7000-8000-000000000001', 'B', 'pgtap-delete-branch-b', 'EUR', 'Europe/Berlin');
insert into app.branches (restaurant_id, id, name) values
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b1', 'A1'),
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b2', 'A2'),
('b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-0000000000b1', 'B1');
insert into app.users (id, email, name)
select
    (p.tenant || '0000000-0000-7000-8000-000000000a0' || p.n)::uuid as id,
    p.tenant || p.n || '@delete-branch.test' as email,
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
    $$select api.delete_branch('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

-- Persona: A's manager.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a02", "role": "staff", "app_role": "manager",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.delete_branch('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR403', null,
    'A manager cannot delete a branch: forbidden (BR403).'
);

reset role;
select is_empty(
    'select 1 from app.branches where deleted_at is not null',
    'After the refused calls no branch is deleted.'
);

-- Persona: A's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select lives_ok(
    $$select api.delete_branch('a0000000-0000-7000-8000-0000000000b1')$$,
    'The owner deletes a branch.'
);
select throws_ok(
    $$select api.delete_branch('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR404', null,
    'Deleting it again is not_found (BR404).'
);

-- Persona: A's waiter.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a03", "role": "staff", "app_role": "waiter",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select is(
    api.list_branches('a0000000-0000-7000-8000-000000000001') -> 'items' -> 0 ->> 'name',
    'A2',
    'Staff no longer see the deleted branch.'
);

reset role;
select results_eq(
    $$select b.name, b.deleted_at is not null from app.branches as b order by b.id$$,
    $$values ('A1', true), ('A2', false), ('B1', false)$$,
    'The delete is soft and touched one branch only.'
);
select is(
    (select count(*)::integer from app.stations),
    3,
    'The deleted branch keeps its stations (and history) for a restore.'
);

select * from finish();
rollback;
