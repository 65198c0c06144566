-- api.delete_staff: another tenant's staff is not found; a waiter, or a manager removing an
-- owner, is forbidden; the last owner stays; a removal is soft and takes the PIN with it.
begin;
select plan(16);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app_private.staff_pins (restaurant_id, membership_id, pin_hash) values
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000c03',
    extensions.digest('a0000000-0000-7000-8000-000000000001:1234', 'sha256')
),
(
    'b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-000000000c03',
    extensions.digest('b0000000-0000-7000-8000-000000000001:1234', 'sha256')
);

select pg_temp.act_as('owner_a');

select throws_ok(
    $$select api.delete_staff('b0000000-0000-7000-8000-000000000c03')$$,
    'BR404', null,
    'Another restaurant''s staff member is not_found (BR404), even for an owner.'
);

reset role;
select results_eq(
    $$select m.deleted_at is null, exists (
            select 1 from app_private.staff_pins as p where p.membership_id = m.id
        )
        from app.memberships as m where m.id = 'b0000000-0000-7000-8000-000000000c03'$$,
    $$values (true, true)$$,
    'After the refused removal, B''s waiter is still on staff and still has their PIN.'
);

select pg_temp.act_as('waiter_a');

select throws_ok(
    $$select api.delete_staff('a0000000-0000-7000-8000-000000000c03')$$,
    'BR403', null,
    'A waiter cannot remove staff, not even themselves: forbidden (BR403).'
);
select throws_ok(
    $$select api.delete_staff('a0000000-0000-7000-8000-000000000c02')$$,
    'BR404', null,
    'A waiter does not see their colleagues'' memberships: not_found (BR404).'
);

select pg_temp.act_as('manager_a');

select throws_ok(
    $$select api.delete_staff('a0000000-0000-7000-8000-000000000c01')$$,
    'BR403', null,
    'A manager cannot remove an owner: forbidden (BR403).'
);

select pg_temp.act_as('owner_a');

select throws_ok(
    $$select api.delete_staff('a0000000-0000-7000-8000-000000000c01')$$,
    'BR409', 'A restaurant keeps at least one owner.',
    'The last owner cannot be removed: last_owner (BR409).'
);

reset role;
select is(
    (
        select count(*)::integer from app.memberships as m
        where
            m.restaurant_id = 'a0000000-0000-7000-8000-000000000001'
            and m.deleted_at is null
    ),
    5,
    'After the refused removals all five of A''s staff are still on staff.'
);
select is(
    (
        select count(*)::integer from app_private.staff_pins as p
        where pg_temp.ours(p.restaurant_id)
    ),
    2,
    'After the refused removals both PINs are still there.'
);

select pg_temp.act_as('manager_a');

select lives_ok(
    $$select api.delete_staff('a0000000-0000-7000-8000-000000000c03')$$,
    'A manager removes a waiter.'
);
select ok(
    not (api.list_staff('a0000000-0000-7000-8000-000000000001') -> 'items')
    @> '[{"id": "a0000000-0000-7000-8000-000000000c03"}]',
    'A removed waiter is no longer listed.'
);
select throws_ok(
    $$select api.delete_staff('a0000000-0000-7000-8000-000000000c03')$$,
    'BR404', null,
    'Removing someone already removed is not_found (BR404).'
);

reset role;
select isnt(
    (
        select m.deleted_at from app.memberships as m
        where m.id = 'a0000000-0000-7000-8000-000000000c03'
    ),
    null,
    'The removal is soft: the membership stays, with deleted_at set.'
);
select is_empty(
    $$select 1 from app_private.staff_pins
        where membership_id = 'a0000000-0000-7000-8000-000000000c03'$$,
    'The removed waiter''s PIN is gone, so they can no longer sign in on a device.'
);
select is(
    (
        select count(*)::integer from app_private.staff_pins
        where membership_id = 'b0000000-0000-7000-8000-000000000c03'
    ),
    1,
    'B''s waiter keeps their PIN: the removal touched one restaurant only.'
);

-- With a second owner, an owner may go.
insert into app.users (id, email, name) values (
    'a0000000-0000-7000-8000-000000000a06', 'a6@delete-staff.test', 'a6'
);
insert into app.memberships (restaurant_id, id, user_id, role) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000c06',
    'a0000000-0000-7000-8000-000000000a06', 'owner'
);

select pg_temp.act_as('owner_a');

select lives_ok(
    $$select api.delete_staff('a0000000-0000-7000-8000-000000000c06')$$,
    'An owner removes another owner when one remains.'
);
select throws_ok(
    $$select api.delete_staff('a0000000-0000-7000-8000-000000000c01')$$,
    'BR409', null,
    'Then the remaining owner is the last one: last_owner (BR409).'
);

select * from finish();
rollback;
