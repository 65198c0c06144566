-- api.list_staff: owners and managers list their restaurant's live staff, a page at a time.
begin;
select plan(9);
set local search_path = public;

-- Fixtures, as the superuser. Restaurant A (branches A1, A2) and restaurant B (branch B1);
-- people: A's owner, manager, waiter, kitchen and a manager scoped to A1; B's owner, waiter.
insert into app.restaurants (id, name, slug, currency, timezone) values
('a0000000-0000-7000-8000-000000000001', 'A', 'pgtap-list-staff-a', 'EUR', 'Europe/Berlin'),
('b0000000-0000-7000-8000-000000000001', 'B', 'pgtap-list-staff-b', 'EUR', 'Europe/Berlin');
insert into app.branches (restaurant_id, id, name) values
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b1', 'A1'),
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b2', 'A2'),
('b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-0000000000b1', 'B1');
insert into app.users (id, email, name)
select
    (p.tenant || '0000000-0000-7000-8000-000000000a0' || p.n)::uuid as id,
    p.tenant || p.n || '@list-staff.test' as email,
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
insert into app_private.staff_pins (restaurant_id, membership_id, pin_hash) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000c04',
    extensions.digest('a0000000-0000-7000-8000-000000000001:9876', 'sha256')
);
update app.memberships set deleted_at = now()
where id = 'a0000000-0000-7000-8000-000000000c03';

-- Persona: B's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "b0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "b0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.list_staff('a0000000-0000-7000-8000-000000000001')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

-- Persona: A's waiter.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a03", "role": "staff", "app_role": "waiter",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.list_staff('a0000000-0000-7000-8000-000000000001')$$,
    'BR403', null,
    'A waiter cannot list staff: forbidden (BR403).'
);

-- Persona: A's kitchen.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a04", "role": "staff", "app_role": "kitchen",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.list_staff('a0000000-0000-7000-8000-000000000001')$$,
    'BR403', null,
    'Kitchen staff cannot list staff: forbidden (BR403).'
);

-- Persona: A's manager.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a02", "role": "staff", "app_role": "manager",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select results_eq(
    $$select s.item ->> 'id', s.item ->> 'role', s.item ->> 'email', (s.item ->> 'has_pin')::boolean,
            s.item -> 'branch_ids'
        from jsonb_array_elements(
            api.list_staff('a0000000-0000-7000-8000-000000000001') -> 'items'
        ) as s (item)$$,
    $$values
        ('a0000000-0000-7000-8000-000000000c01', 'owner', 'a1@list-staff.test', false, '[]'::jsonb),
        ('a0000000-0000-7000-8000-000000000c02', 'manager', 'a2@list-staff.test', false, '[]'),
        ('a0000000-0000-7000-8000-000000000c04', 'kitchen', 'a4@list-staff.test', true, '[]'),
        ('a0000000-0000-7000-8000-000000000c05', 'manager', 'a5@list-staff.test', false,
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

-- Persona: B's owner.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "b0000000-0000-7000-8000-000000000a01", "role": "staff", "app_role": "owner",
    "restaurant_id": "b0000000-0000-7000-8000-000000000001"}', true);

select is(
    jsonb_array_length(api.list_staff('b0000000-0000-7000-8000-000000000001') -> 'items'),
    2,
    'B''s owner lists B''s two staff, none of A''s.'
);

select * from finish();
rollback;
