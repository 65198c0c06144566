-- api.update_staff: owners and managers change name, role, PIN and branches; only an owner
-- touches an owner; the last owner stays; bad input changes nothing.
begin;
select plan(17);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app_private.staff_pins (restaurant_id, membership_id, pin_hash) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000c04',
    extensions.digest('a0000000-0000-7000-8000-000000000001:9876', 'sha256')
);
create temporary table before as
select
    m.id,
    m.role,
    u.name,
    p.pin_hash
from app.memberships as m
inner join app.users as u on m.user_id = u.id
left join app_private.staff_pins as p on m.restaurant_id = p.restaurant_id and m.id = p.membership_id;

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.update_staff('a0000000-0000-7000-8000-000000000c03', '{"name": "Mole"}')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404).'
);

select pg_temp.act_as('waiter_a');

select throws_ok(
    $$select api.update_staff('a0000000-0000-7000-8000-000000000c03', '{"role": "manager"}')$$,
    'BR403', null,
    'A waiter cannot promote themselves: forbidden (BR403).'
);

select pg_temp.act_as('manager_a');

select throws_ok(
    $$select api.update_staff('a0000000-0000-7000-8000-000000000c01', '{"name": "Demoted"}')$$,
    'BR403', null,
    'A manager cannot edit an owner: forbidden (BR403).'
);
select throws_ok(
    $$select api.update_staff('a0000000-0000-7000-8000-000000000c03', '{"role": "owner"}')$$,
    'BR403', null,
    'A manager cannot make an owner: forbidden (BR403).'
);
select throws_ok(
    $$select api.update_staff('a0000000-0000-7000-8000-000000000c03', '{"role": "chef"}')$$,
    'BR422', null,
    'An unknown role is validation_failed (BR422).'
);
select throws_ok(
    $$select api.update_staff('a0000000-0000-7000-8000-000000000c03', '{"pin": "12ab"}')$$,
    'BR422', 'pin must be 4 to 8 digits.',
    'A PIN that is not 4 to 8 digits is validation_failed (BR422).'
);
select throws_ok(
    $$select api.update_staff('a0000000-0000-7000-8000-000000000c03',
        '{"branch_ids": ["b0000000-0000-7000-8000-0000000000b1"]}')$$,
    'BR422', 'branch_ids names an unknown branch.',
    'Another restaurant''s branch is an unknown branch (BR422).'
);
select throws_ok(
    $$select api.update_staff('a0000000-0000-7000-8000-000000000c03',
        '{"name": "Renamed", "pin": "9876"}')$$,
    'BR409', null,
    'A PIN a colleague has is pin_taken (BR409), and the rename in the same call is undone.'
);

select pg_temp.act_as('manager_a1');

select throws_ok(
    $$select api.update_staff('a0000000-0000-7000-8000-000000000c03', '{"branch_ids": []}')$$,
    'BR403', null,
    'A branch manager cannot give anyone the whole restaurant (BR403).'
);

select pg_temp.act_as('owner_a');

select throws_ok(
    $$select api.update_staff('a0000000-0000-7000-8000-000000000c01', '{"role": "manager"}')$$,
    'BR409', 'A restaurant keeps at least one owner.',
    'The last owner cannot step down: last_owner (BR409).'
);

reset role;
select set_eq(
    $$select m.id, m.role, u.name, p.pin_hash
        from app.memberships as m
        inner join app.users as u on m.user_id = u.id
        left join app_private.staff_pins as p
            on m.restaurant_id = p.restaurant_id and m.id = p.membership_id$$,
    'select * from before',
    'After the refused calls every role, name and PIN is as it was.'
);
select is_empty(
    'select 1 from app.membership_branches
    where membership_id <> ''a0000000-0000-7000-8000-000000000c05'' and pg_temp.ours(restaurant_id)',
    'After the refused calls nobody else got a branch.'
);

select pg_temp.act_as('manager_a');

select results_eq(
    $$select s ->> 'name', s ->> 'role', (s ->> 'has_pin')::boolean, s -> 'branch_ids'
        from api.update_staff('a0000000-0000-7000-8000-000000000c03',
            '{"name": "Wanda", "role": "kitchen", "pin": "2580",
              "branch_ids": ["a0000000-0000-7000-8000-0000000000b2"]}') as s$$,
    $$values ('Wanda', 'kitchen', true, '["a0000000-0000-7000-8000-0000000000b2"]'::jsonb)$$,
    'A manager renames a waiter, makes them kitchen staff, sets a PIN and a branch.'
);
select is(
    (
        api.update_staff('a0000000-0000-7000-8000-000000000c04', '{"pin": null}') ->> 'has_pin'
    )::boolean,
    false,
    'A null PIN removes the PIN.'
);

reset role;
select is(
    (
        select p.pin_hash from app_private.staff_pins as p
        where p.membership_id = 'a0000000-0000-7000-8000-000000000c03'
    ),
    extensions.digest('a0000000-0000-7000-8000-000000000001:2580', 'sha256'),
    'The new PIN is stored hashed with the restaurant.'
);
select is_empty(
    $$select 1 from app_private.staff_pins
        where membership_id = 'a0000000-0000-7000-8000-000000000c04'$$,
    'The removed PIN is gone.'
);
select is(
    (
        select u.name from app.users as u
        where u.id = 'b0000000-0000-7000-8000-000000000a03'
    ),
    'b3',
    'B''s waiter is untouched.'
);

select * from finish();
rollback;
