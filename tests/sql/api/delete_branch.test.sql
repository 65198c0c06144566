-- api.delete_branch: the owner soft-deletes a branch; it disappears for everyone else.
begin;
select plan(8);
set local search_path = public;

\ir _fixtures/tenants.ddl

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
