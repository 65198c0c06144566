-- api.list_branches: staff see the live branches in their scope, a page at a time.
begin;
select plan(10);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app.branches (restaurant_id, id, name, deleted_at) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b3', 'A3', now()
);

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.list_branches('a0000000-0000-7000-8000-000000000001')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404) for A''s branches.'
);

select pg_temp.act_as('waiter_a');

select is(
    (
        select array_agg(b.item ->> 'name' order by b.item ->> 'name')
        from jsonb_array_elements(
            api.list_branches('a0000000-0000-7000-8000-000000000001') -> 'items'
        ) as b (item)
    ),
    array['A1', 'A2'],
    'A waiter lists the live branches of their restaurant.'
);
select is(
    jsonb_array_length(
        api.list_branches('a0000000-0000-7000-8000-000000000001', 50, null, true) -> 'items'
    ),
    2,
    'A waiter does not see deleted branches, even when asking for them.'
);

select pg_temp.act_as('manager_a1');

select is(
    api.list_branches('a0000000-0000-7000-8000-000000000001') -> 'items' -> 0 ->> 'id',
    'a0000000-0000-7000-8000-0000000000b1',
    'A manager of A1 sees A1 ...'
);
select is(
    jsonb_array_length(api.list_branches('a0000000-0000-7000-8000-000000000001') -> 'items'),
    1,
    '... and only A1.'
);

select pg_temp.act_as('owner_a');

select is(
    jsonb_array_length(
        api.list_branches('a0000000-0000-7000-8000-000000000001', 50, null, true) -> 'items'
    ),
    3,
    'The owner may include deleted branches, to restore them.'
);
select is(
    api.list_branches('a0000000-0000-7000-8000-000000000001', 1),
    jsonb_build_object(
        'items', jsonb_build_array(api.get_branch('a0000000-0000-7000-8000-0000000000b1')),
        'next_cursor', 'a0000000-0000-7000-8000-0000000000b1'
    ),
    'A page of one holds the first branch and the cursor to go on from it.'
);
select is(
    api.list_branches(
        'a0000000-0000-7000-8000-000000000001', 1, 'a0000000-0000-7000-8000-0000000000b1'
    ) -> 'items' -> 0 ->> 'name',
    'A2',
    'Following the cursor gives the next branch ...'
);
select is(
    api.list_branches(
        'a0000000-0000-7000-8000-000000000001', 1, 'a0000000-0000-7000-8000-0000000000b1'
    ) -> 'next_cursor',
    'null'::jsonb,
    '... and no cursor on the last page.'
);
select throws_ok(
    $$select api.list_branches('a0000000-0000-7000-8000-000000000001', 201)$$,
    'BR422', 'limit must be from 1 to 200.',
    'A page larger than 200 is validation_failed (BR422).'
);

select * from finish();
rollback;
