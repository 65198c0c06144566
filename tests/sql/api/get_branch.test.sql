-- api.get_branch: the owner reads a branch, deleted or not; others are refused.
begin;
select plan(7);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app.branches (restaurant_id, id, name, deleted_at) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b3', 'A3', now()
);

-- Persona: B's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "b0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "b0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.get_branch('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

-- Persona: A's manager.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a02", "role": "staff", "app_role": "manager",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.get_branch('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR403', null,
    'A manager sees the branch but this read is the owner''s: forbidden (BR403).'
);
select throws_ok(
    $$select api.get_branch('a0000000-0000-7000-8000-0000000000b3')$$,
    'BR404', null,
    'A deleted branch is not_found for a manager (BR404).'
);

-- Persona: A's branch manager (A1 only).
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a05", "role": "staff", "app_role": "manager",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001",
    "branch_ids": ["a0000000-0000-7000-8000-0000000000b1"]}', true);

select throws_ok(
    $$select api.get_branch('a0000000-0000-7000-8000-0000000000b2')$$,
    'BR404', null,
    'A branch outside the caller''s scope is not_found (BR404).'
);

-- Persona: A's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select is(
    api.get_branch('a0000000-0000-7000-8000-0000000000b1') ->> 'name',
    'A1',
    'The owner reads a branch.'
);
select isnt(
    api.get_branch('a0000000-0000-7000-8000-0000000000b3') ->> 'deleted_at',
    null,
    'The owner reads a deleted branch too, with its deleted_at.'
);
select throws_ok(
    $$select api.get_branch('b0000000-0000-7000-8000-0000000000b1')$$,
    'BR404', null,
    'The owner of A gets not_found (BR404) for B''s branch.'
);

select * from finish();
rollback;
