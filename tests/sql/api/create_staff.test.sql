-- api.create_staff: personas (other tenant, wrong role, manager making an owner, branch
-- manager), validation, PIN uniqueness, a known email reused untouched, positive control.
begin;
select plan(21);
set local search_path = public;

-- Fixtures, as the superuser: restaurants A and B; B employs someone with a password.
insert into app.restaurants (id, name, slug, currency, timezone) values
('a0000000-0000-7000-8000-000000000001', 'A', 'pgtap-create-staff-a', 'EUR', 'Europe/Berlin'),
('b0000000-0000-7000-8000-000000000001', 'B', 'pgtap-create-staff-b', 'EUR', 'Europe/Berlin');
insert into app.branches (restaurant_id, id, name) values
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b1', 'A1'),
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b2', 'A2'),
('b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-0000000000b1', 'B1');
insert into app.users (id, email, name) values
('a0000000-0000-7000-8000-000000000a01', 'owner-a@create-staff.test', 'Owner A'),
('a0000000-0000-7000-8000-000000000a02', 'manager-a@create-staff.test', 'Manager A'),
('a0000000-0000-7000-8000-000000000a03', 'waiter-a@create-staff.test', 'Waiter A'),
('a0000000-0000-7000-8000-000000000a05', 'branch-a@create-staff.test', 'Branch Manager A'),
('b0000000-0000-7000-8000-000000000a01', 'owner-b@create-staff.test', 'Owner B'),
('b0000000-0000-7000-8000-000000000a02', 'shared@create-staff.test', 'Shared Person');
insert into app.memberships (restaurant_id, id, user_id, role) values
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000c01',
    'a0000000-0000-7000-8000-000000000a01', 'owner'
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000c02',
    'a0000000-0000-7000-8000-000000000a02', 'manager'
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000c03',
    'a0000000-0000-7000-8000-000000000a03', 'waiter'
),
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000c05',
    'a0000000-0000-7000-8000-000000000a05', 'manager'
),
(
    'b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-000000000c01',
    'b0000000-0000-7000-8000-000000000a01', 'owner'
),
(
    'b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-000000000c02',
    'b0000000-0000-7000-8000-000000000a02', 'waiter'
);
insert into app.membership_branches (restaurant_id, membership_id, branch_id) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000c05',
    'a0000000-0000-7000-8000-0000000000b1'
);
insert into app_private.credentials (user_id, password_hash) values (
    'b0000000-0000-7000-8000-000000000a02',
    extensions.crypt('shared person secret', extensions.gen_salt('bf', 4))
);

create temporary table shared_before as
select c.password_hash from app_private.credentials as c
where c.user_id = 'b0000000-0000-7000-8000-000000000a02';
-- Where the persona's results are kept (request roles may not create temporary tables).
create temporary table created (staff jsonb);
create temporary table reused (staff jsonb);
grant insert, select on created, reused to staff;

-- Persona: B's owner, with A's restaurant id.
set local role staff;
select set_config('request.jwt.claims', '{"sub": "b0000000-0000-7000-8000-000000000a01",
    "role": "staff", "app_role": "owner",
    "restaurant_id": "b0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.create_staff('a0000000-0000-7000-8000-000000000001',
        '{"name": "Mole", "role": "waiter", "email": "mole@create-staff.test", "pin": "1111"}')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404), not forbidden.'
);

-- Persona: A's waiter.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a03",
    "role": "staff", "app_role": "waiter",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.create_staff('a0000000-0000-7000-8000-000000000001',
        '{"name": "Pal", "role": "waiter", "email": "pal@create-staff.test", "pin": "2222"}')$$,
    'BR403', null,
    'A waiter cannot add staff: forbidden (BR403).'
);

-- Persona: A's manager.
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a02",
    "role": "staff", "app_role": "manager",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

select throws_ok(
    $$select api.create_staff('a0000000-0000-7000-8000-000000000001',
        '{"name": "Boss", "role": "owner", "email": "boss@create-staff.test"}')$$,
    'BR403', null,
    'A manager cannot make an owner: forbidden (BR403).'
);

select throws_ok(
    $$select api.create_staff('a0000000-0000-7000-8000-000000000001',
        '{"name": "Short", "role": "waiter", "pin": "12"}')$$,
    'BR422', 'pin must be 4 to 8 digits.',
    'A PIN that is not 4 to 8 digits is validation_failed (BR422).'
);

select throws_ok(
    $$select api.create_staff('a0000000-0000-7000-8000-000000000001',
        '{"name": "Nobody", "role": "waiter"}')$$,
    'BR422', null,
    'Staff with neither an email nor a PIN could never sign in: validation_failed (BR422).'
);

select throws_ok(
    $$select api.create_staff('a0000000-0000-7000-8000-000000000001',
        '{"name": "Far", "role": "waiter", "pin": "3333",
          "branch_ids": ["b0000000-0000-7000-8000-0000000000b1"]}')$$,
    'BR422', 'branch_ids names an unknown branch.',
    'Another restaurant''s branch is an unknown branch (BR422), not a way in.'
);

select throws_ok(
    $$select api.create_staff('a0000000-0000-7000-8000-000000000001',
        '{"name": "X", "role": "waiter", "pin": "4444", "salary": 1}')$$,
    'BR422', 'Unknown field(s): salary.',
    'An unknown field is refused (BR422).'
);

reset role;
select is(
    (
        select count(*)::integer from app.users as u
        where u.email in (
            'mole@create-staff.test', 'pal@create-staff.test', 'boss@create-staff.test'
        ) or u.name in ('Short', 'Nobody', 'Far', 'X')
    ),
    0,
    'After the refused calls no user exists that they would have created.'
);
select is(
    (
        select count(*)::integer from app.memberships as m
        where m.restaurant_id in (
            'a0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-000000000001'
        )
    ),
    6,
    'After the refused calls both restaurants have exactly their fixture staff.'
);
select is_empty(
    $$select 1 from app_private.staff_pins as p where p.restaurant_id in (
        'a0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-000000000001'
    )$$,
    'After the refused calls no PIN was stored.'
);

-- Positive control: A's manager adds a waiter with email, password, PIN and a branch.
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a02",
    "role": "staff", "app_role": "manager",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001"}', true);

insert into created (staff)
select api.create_staff(
    'a0000000-0000-7000-8000-000000000001',
    '{"name": "Nadia", "role": "waiter", "email": " Nadia@Create-Staff.test ",
      "password": "correct horse battery", "pin": "4821",
      "branch_ids": ["a0000000-0000-7000-8000-0000000000b1"]}'
) as staff;

select results_eq(
    $$select staff ->> 'name', staff ->> 'email', staff ->> 'role', staff -> 'branch_ids',
        staff -> 'has_pin' from created$$,
    $$values ('Nadia', 'nadia@create-staff.test', 'waiter',
        '["a0000000-0000-7000-8000-0000000000b1"]'::jsonb, 'true'::jsonb)$$,
    'A manager adds a waiter: the staff object has the normalised email, role, branch, has_pin.'
);

select throws_ok(
    $$select api.create_staff('a0000000-0000-7000-8000-000000000001',
        '{"name": "Copycat", "role": "kitchen", "pin": "4821"}')$$,
    'BR409', null,
    'A PIN already used in this restaurant is pin_taken (BR409).'
);

-- A known email (B's employee): reused, same response shape, their password untouched.
insert into reused (staff)
select api.create_staff(
    'a0000000-0000-7000-8000-000000000001',
    '{"name": "Impostor", "role": "kitchen", "email": "shared@create-staff.test",
      "password": "attacker chosen password"}'
) as staff;

select is(
    (select staff ->> 'user_id' from reused),
    'b0000000-0000-7000-8000-000000000a02',
    'A known email reuses that person instead of making a second one.'
);
select is(
    (select array_agg(k order by k) from reused as r, jsonb_object_keys(r.staff) as k),
    (select array_agg(k order by k) from created as c, jsonb_object_keys(c.staff) as k),
    'A known email answers with the same shape as a new one.'
);

select throws_ok(
    $$select api.create_staff('a0000000-0000-7000-8000-000000000001',
        '{"name": "Again", "role": "kitchen", "email": "shared@create-staff.test"}')$$,
    'BR409', null,
    'Adding someone already on this restaurant''s staff is staff_exists (BR409).'
);

-- Persona: A's branch manager (scoped to A1).
reset role;
set local role staff;
select set_config('request.jwt.claims', '{"sub": "a0000000-0000-7000-8000-000000000a05",
    "role": "staff", "app_role": "manager",
    "restaurant_id": "a0000000-0000-7000-8000-000000000001",
    "branch_ids": ["a0000000-0000-7000-8000-0000000000b1"]}', true);

select throws_ok(
    $$select api.create_staff('a0000000-0000-7000-8000-000000000001',
        '{"name": "Everywhere", "role": "waiter", "pin": "5555"}')$$,
    'BR403', null,
    'A branch manager cannot give new staff the whole restaurant (BR403).'
);
select throws_ok(
    $$select api.create_staff('a0000000-0000-7000-8000-000000000001',
        '{"name": "Elsewhere", "role": "waiter", "pin": "5555",
          "branch_ids": ["a0000000-0000-7000-8000-0000000000b2"]}')$$,
    'BR422', 'branch_ids names an unknown branch.',
    'A branch manager cannot assign a branch outside their scope (BR422).'
);

-- The stored secrets, checked as the superuser.
reset role;
select ok(
    (
        select c.password_hash = extensions.crypt('correct horse battery', c.password_hash)
        from app_private.credentials as c
        where c.user_id = (select (n.staff ->> 'user_id')::uuid from created as n)
    ),
    'The new person''s password is stored as a bcrypt hash that verifies.'
);
select is(
    (
        select p.pin_hash from app_private.staff_pins as p
        where p.membership_id = (select (n.staff ->> 'id')::uuid from created as n)
    ),
    extensions.digest('a0000000-0000-7000-8000-000000000001:4821', 'sha256'),
    'The PIN is stored as sha256(restaurant_id:pin), nothing else.'
);
select is(
    (
        select c.password_hash from app_private.credentials as c
        where c.user_id = 'b0000000-0000-7000-8000-000000000a02'
    ),
    (select s.password_hash from shared_before as s),
    'A known person''s password is not overwritten by another restaurant.'
);
select is(
    (
        select u.name from app.users as u
        where u.id = 'b0000000-0000-7000-8000-000000000a02'
    ),
    'Shared Person',
    'A known person''s name is not overwritten by another restaurant.'
);

select * from finish();
rollback;
