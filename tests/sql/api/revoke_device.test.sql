-- api.revoke_device: owners and managers revoke a device; its tokens fail at once.
begin;
select plan(10);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app.devices (restaurant_id, id, branch_id, name) values
(
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-000000000f11',
    'a0000000-0000-7000-8000-0000000000b1', 'Pass'
),
(
    'b0000000-0000-7000-8000-000000000001', 'b0000000-0000-7000-8000-000000000f11',
    'b0000000-0000-7000-8000-0000000000b1', 'Pass'
);

select pg_temp.act_as('owner_a');

select throws_ok(
    $$select api.revoke_device('b0000000-0000-7000-8000-000000000f11')$$,
    'BR404', null,
    'Another restaurant''s device is not_found (BR404), even for an owner.'
);

select pg_temp.act_as('waiter_a');

select throws_ok(
    $$select api.revoke_device('a0000000-0000-7000-8000-000000000f11')$$,
    'BR404', null,
    'A waiter does not see devices: not_found (BR404).'
);

select pg_temp.act_as('kitchen_a1_device');

select throws_ok(
    $$select api.revoke_device('a0000000-0000-7000-8000-000000000f11')$$,
    'BR403', null,
    'A device sees itself but cannot revoke itself: forbidden (BR403).'
);
select lives_ok(
    'select auth.assert_active()',
    'Before the revocation the device''s token is accepted.'
);

reset role;
select is_empty(
    'select 1 from app.devices where revoked_at is not null and pg_temp.ours(restaurant_id)',
    'After the refused calls no device is revoked.'
);

select pg_temp.act_as('manager_a');

select lives_ok(
    $$select api.revoke_device('a0000000-0000-7000-8000-000000000f11')$$,
    'A manager revokes a device of their restaurant.'
);

reset role;
create temporary table revoked as
select d.revoked_at from app.devices as d
where d.id = 'a0000000-0000-7000-8000-000000000f11';

select pg_temp.act_as('owner_a');

select lives_ok(
    $$select api.revoke_device('a0000000-0000-7000-8000-000000000f11')$$,
    'Revoking a revoked device is harmless.'
);

select pg_temp.act_as('kitchen_a1_device');

select throws_ok(
    'select auth.assert_active()',
    'BR401', 'This device has been revoked.',
    'The revoked device''s token stops working at once (BR401).'
);

reset role;
select results_eq(
    $$select d.id, d.revoked_at from app.devices as d
    where d.revoked_at is not null and pg_temp.ours(d.restaurant_id)$$,
    $$select 'a0000000-0000-7000-8000-000000000f11'::uuid, r.revoked_at from revoked as r$$,
    'Only A''s device is revoked, at the time of the first revocation.'
);
select isnt(
    (select r.revoked_at from revoked as r),
    null,
    'The revocation time is recorded.'
);

select * from finish();
rollback;
