-- api.delete_branch: the owner soft-deletes a branch; it disappears for everyone else.
begin;
select plan(8);
set local search_path = public;

\ir _fixtures/tenants.ddl

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.delete_branch('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

select pg_temp.act_as('manager_a');

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

select pg_temp.act_as('owner_a');

select lives_ok(
    $$select api.delete_branch('a0000000-0000-7000-8000-0000000000b1')$$,
    'The owner deletes a branch.'
);
select throws_ok(
    $$select api.delete_branch('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR404', null,
    'Deleting it again is not_found (BR404).'
);

select pg_temp.act_as('waiter_a');

select is(
    api.list_branches('a0000000-0000-7000-8000-000000000001') -> 'items' -> 0 ->> 'name',
    'A2',
    'Staff no longer see the deleted branch.'
);

reset role;
select results_eq(
    $$select b.name, b.deleted_at is not null from app.branches as b
        where pg_temp.ours(b.restaurant_id) order by b.id$$,
    $$values ('A1', true), ('A2', false), ('B1', false)$$,
    'The delete is soft and touched one branch only.'
);
select is(
    (
        select count(*)::integer from app.stations as s
        where pg_temp.ours(s.restaurant_id)
    ),
    3,
    'The deleted branch keeps its stations (and history) for a restore.'
);

select * from finish();
rollback;
