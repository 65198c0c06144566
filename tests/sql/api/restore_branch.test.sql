-- api.restore_branch: the owner brings a deleted branch back.
begin;
select plan(8);
set local search_path = public;

\ir _fixtures/tenants.ddl

update app.branches set deleted_at = now()
where id in ('a0000000-0000-7000-8000-0000000000b2', 'b0000000-0000-7000-8000-0000000000b1');

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.restore_branch('a0000000-0000-7000-8000-0000000000b2')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

select pg_temp.act_as('manager_a');

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

select pg_temp.act_as('owner_a');

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

select pg_temp.act_as('owner_a');

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

select pg_temp.act_as('waiter_a');

select is(
    jsonb_array_length(api.list_branches('a0000000-0000-7000-8000-000000000001') -> 'items'),
    2,
    'Staff see the restored branch again.'
);

select * from finish();
rollback;
