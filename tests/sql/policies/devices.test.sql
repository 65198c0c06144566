-- RLS persona matrix of app.devices: owners and managers read, rename and revoke the devices
-- of their branches, a device reads itself; devices are registered only by activation
-- (api.activate_device), and their PIN lock is never written through a grant.
begin;
\ir _fixtures/matrix.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the devices',
    'select id from app.devices',
    '{dev_a1,dev_a2}', '{dev_a1,dev_a2}', '{dev_a2}', '{dev_a1}', '{}', '{dev_a1}',
    '42501', '{dev_b1}', '42501', '42501', null
),
(
    'looks up the device of restaurant B or a device that does not exist',
    'select id from app.devices where id in (@dev_b1, @nope)',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{dev_b1}', '42501', '42501', null
),
(
    'registers a device on branch A2',
    $$insert into app.devices (restaurant_id, branch_id, name)
    values (@r_a, @br_a2, 'A2 pos') returning name$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{A2 pos}'
),
(
    'renames device A2',
    $$update app.devices set name = 'A2 bar screen' where id = @dev_a2 returning id$$,
    '{dev_a2}', '{dev_a2}', '{dev_a2}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'revokes device D of branch A1',
    'update app.devices set revoked_at = now() where id = @dev_a1 returning id',
    '{dev_a1}', '{dev_a1}', '{}', '{dev_a1}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'revokes the device of restaurant B or a device that does not exist',
    'update app.devices set revoked_at = now() where id in (@dev_b1, @nope) returning id',
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{dev_b1}', '42501', '42501', null
),
(
    'writes the failed PIN count and lock of device D',
    $$update app.devices set failed_pins = 5, locked_until = now() + interval '15 minutes'
    where id = @dev_a1 returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{dev_a1}'
),
(
    'moves device A2 to branch A1',
    'update app.devices set branch_id = @br_a1 where id = @dev_a2 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{dev_a2}'
),
(
    'deletes device A2',
    'delete from app.devices where id = @dev_a2 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{dev_a2}'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'devices',
    array['select_branch_devices', 'update_as_manager'],
    'app.devices has exactly its two policies: read in scope or as itself, update in scope.'
);

select * from pg_temp.run_matrix('app.devices');

select * from finish();
rollback;
