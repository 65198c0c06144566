-- api.get_branch: the owner reads a branch, deleted or not; others are refused.
begin;
select plan(7);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app.branches (restaurant_id, id, name, deleted_at) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b3', 'A3', now()
);

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.get_branch('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

select pg_temp.act_as('manager_a');

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

select pg_temp.act_as('manager_a1');

select throws_ok(
    $$select api.get_branch('a0000000-0000-7000-8000-0000000000b2')$$,
    'BR404', null,
    'A branch outside the caller''s scope is not_found (BR404).'
);

select pg_temp.act_as('owner_a');

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
