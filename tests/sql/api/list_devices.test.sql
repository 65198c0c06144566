-- api.list_devices: owners and managers list the devices of a branch in their scope.
begin;
select plan(6);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app.devices (restaurant_id, id, branch_id, name, revoked_at) values
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000f11',
    'a0000000-0000-7000-8000-0000000000b1', 'Pass', null
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000f12',
    'a0000000-0000-7000-8000-0000000000b1', 'Old till', now()
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000f21',
    'a0000000-0000-7000-8000-0000000000b2', 'Bar', null
);

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.list_devices('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

select pg_temp.act_as('waiter_a');

select throws_ok(
    $$select api.list_devices('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR403', null,
    'A waiter cannot list devices: forbidden (BR403).'
);

select pg_temp.act_as('manager_a1');

select throws_ok(
    $$select api.list_devices('a0000000-0000-7000-8000-0000000000b2')$$,
    'BR404', null,
    'A manager of A1 does not see A2: not_found (BR404).'
);
select results_eq(
    $$select d.item ->> 'name', d.item -> 'revoked_at' <> 'null'::jsonb
        from jsonb_array_elements(
            api.list_devices('a0000000-0000-7000-8000-0000000000b1') -> 'items'
        ) as d (item)$$,
    $$values ('Pass', false), ('Old till', true)$$,
    'A manager of A1 lists A1''s devices, revoked ones included and marked.'
);

select pg_temp.act_as('owner_a');

select is(
    api.list_devices('a0000000-0000-7000-8000-0000000000b2') -> 'items' -> 0 ->> 'name',
    'Bar',
    'The owner lists A2''s device.'
);
select is(
    api.list_devices('a0000000-0000-7000-8000-0000000000b2', 1, 'a0000000-0000-7000-8000-000000000f21'),
    '{"items": [], "next_cursor": null}'::jsonb,
    'After the last device the page is empty, with no cursor.'
);

select * from finish();
rollback;
