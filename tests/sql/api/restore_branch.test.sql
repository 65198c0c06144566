-- api.restore_branch: the owner brings a deleted branch back.
begin;
select plan(8);
set local search_path = public;

-- Fixtures, as the superuser. Restaurant A (branches A1, A2) and restaurant B (branch B1);
-- people: A's owner, manager, waiter, kitchen and a manager scoped to A1; B's owner, waiter.
insert into app.restaurants (id, name, slug, currency, timezone) values
('a0000000-0000-7000-8000-000000000001', 'A', 'pgtap-restore-branch-a', 'EUR', 'Europe/Berlin'),
('b0000000-0000-7000-8000-000000000001', 'B', 'pgtap-restore-branch-b', 'EUR', 'Europe/Berlin');
insert into app.branches (restaurant_id, id, name) values
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b1', 'A1'),
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b2', 'A2'),
('b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-0000000000b1', 'B1');
insert into app.users (id, email, name)
select
    (p.tenant || '0000000-0000-7000-8000-000000000a0' || p.n)::uuid as id,
    p.tenant || p.n || '@restore-branch.test' as email,
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
update app.branches set deleted_at = now()
where id in ('a0000000-0000-7000-8000-0000000000b2', 'b0000000-0000-7000-8000-0000000000b1');

-- Persona: B's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "b0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "b0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.restore_branch('a0000000-0000-7000-8000-0000000000b2')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

-- Persona: A's manager.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a02", "role": "staff", "app_role": "manager",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.restore_branch('a0000000-0000-7000-8000-0000000000b2')$$,
    'BR404', null,
    'A manager does not see deleted branches: not_found (BR404).'
);
select throws_ok(
    $$select api.restore_branch('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR403', null,
    'A manager sees a live branch but may not restore: forbidden (BR403).'
);

-- Persona: A's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.restore_branch('b0000000-0000-7000-8000-0000000000b1')$$,
    'BR404', null,
    'A''s owner gets not_found (BR404) for B''s deleted branch.'
);

reset role;
select is(
    (
        select count(*)::integer from app.branches
        where deleted_at is not null
    ),
    2,
    'After the refused calls both branches are still deleted.'
);

-- Persona: A's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select is(
    api.restore_branch('a0000000-0000-7000-8000-0000000000b2') -> 'deleted_at',
    'null'::jsonb,
    'The owner restores a deleted branch.'
);
select is(
    api.restore_branch('a0000000-0000-7000-8000-0000000000b2') ->> 'name',
    'A2',
    'Restoring a live branch is harmless.'
);

-- Persona: A's waiter.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a03", "role": "staff", "app_role": "waiter",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select is(
    jsonb_array_length(api.list_branches('a0000000-0000-7000-8000-000000000001') -> 'items'),
    2,
    'Staff see the restored branch again.'
);

select * from finish();
rollback;
