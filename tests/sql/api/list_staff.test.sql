-- api.list_staff: owners and managers list their restaurant's live staff, a page at a time.
begin;
select plan(9);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app_private.staff_pins (restaurant_id, membership_id, pin_hash) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000c04',
    extensions.digest('a0000000-0000-7000-8000-000000000001:9876', 'sha256')
);
update app.memberships set deleted_at = now()
where id = 'a0000000-0000-7000-8000-000000000c03';

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.list_staff('a0000000-0000-7000-8000-000000000001')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

select pg_temp.act_as('waiter_a');

select throws_ok(
    $$select api.list_staff('a0000000-0000-7000-8000-000000000001')$$,
    'BR403', null,
    'A waiter cannot list staff: forbidden (BR403).'
);

select pg_temp.act_as('kitchen_a');

select throws_ok(
    $$select api.list_staff('a0000000-0000-7000-8000-000000000001')$$,
    'BR403', null,
    'Kitchen staff cannot list staff: forbidden (BR403).'
);

select pg_temp.act_as('manager_a');

select results_eq(
    $$select s.item ->> 'id', s.item ->> 'role', s.item ->> 'email', (s.item ->> 'has_pin')::boolean,
            s.item -> 'branch_ids'
        from jsonb_array_elements(
            api.list_staff('a0000000-0000-7000-8000-000000000001') -> 'items'
        ) as s (item)$$,
    $$values
        ('a0000000-0000-7000-8000-000000000c01', 'owner', 'a1@api.test', false, '[]'::jsonb),
        ('a0000000-0000-7000-8000-000000000c02', 'manager', 'a2@api.test', false, '[]'),
        ('a0000000-0000-7000-8000-000000000c04', 'kitchen', 'a4@api.test', true, '[]'),
        ('a0000000-0000-7000-8000-000000000c05', 'manager', 'a5@api.test', false,
            '["a0000000-0000-7000-8000-0000000000b1"]')$$,
    'A manager lists the live staff in id order: role, email, whether a PIN is set, branches.'
);
select is(
    (
        select array_agg(k order by k)
        from jsonb_object_keys(
            api.list_staff('a0000000-0000-7000-8000-000000000001') -> 'items' -> 0
        ) as k
    ),
    array['branch_ids', 'created_at', 'email', 'has_pin', 'id', 'name', 'role', 'user_id'],
    'A staff object has exactly the documented fields (no hashes).'
);
select is(
    api.list_staff('a0000000-0000-7000-8000-000000000001', 2) ->> 'next_cursor',
    'a0000000-0000-7000-8000-000000000c02',
    'A page of two ends with a cursor at its last member.'
);
select is(
    api.list_staff(
        'a0000000-0000-7000-8000-000000000001', 2, 'a0000000-0000-7000-8000-000000000c02'
    ) -> 'items' -> 0 ->> 'id',
    'a0000000-0000-7000-8000-000000000c04',
    'Following the cursor goes on after it.'
);
select throws_ok(
    $$select api.list_staff('a0000000-0000-7000-8000-000000000001', 0)$$,
    'BR422', null,
    'A page of zero is validation_failed (BR422).'
);

select pg_temp.act_as('owner_b');

select is(
    jsonb_array_length(api.list_staff('b0000000-0000-7000-8000-000000000001') -> 'items'),
    2,
    'B''s owner lists B''s two staff, none of A''s.'
);

select * from finish();
rollback;
