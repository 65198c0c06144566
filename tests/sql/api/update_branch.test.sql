-- api.update_branch: only the owner edits a live branch; bad input changes nothing.
begin;
select plan(13);
set local search_path = public;

\ir _fixtures/tenants.ddl

update app.branches set address = 'Quay 1'
where id = 'a0000000-0000-7000-8000-0000000000b1';
insert into app.branches (restaurant_id, id, name, deleted_at) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b3', 'A3', now()
);
create temporary table before as select b.* from app.branches as b;

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.update_branch('a0000000-0000-7000-8000-0000000000b1', '{"name": "Mole"}')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

select pg_temp.act_as('waiter_a');

select throws_ok(
    $$select api.update_branch('a0000000-0000-7000-8000-0000000000b1', '{"name": "Mine"}')$$,
    'BR403', null,
    'A waiter cannot edit a branch: forbidden (BR403).'
);

select pg_temp.act_as('manager_a');

select throws_ok(
    $$select api.update_branch('a0000000-0000-7000-8000-0000000000b1',
        '{"auto_accept": true}')$$,
    'BR403', null,
    'A manager cannot edit a branch: forbidden (BR403).'
);

select pg_temp.act_as('owner_a');

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

select pg_temp.act_as('owner_a');

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
