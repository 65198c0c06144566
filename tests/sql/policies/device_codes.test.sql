-- RLS persona matrix of app.device_codes: owners and managers issue and read the device codes
-- of their branches; nobody reads a code's hash, so a code cannot be probed; codes are spent
-- only by api.activate_device, never updated or deleted through a grant. The staff a code names
-- (created_by) is the caller who issued it, or nobody (the policy), and a member of its
-- restaurant (a foreign key, the superuser's control), so a person of another tenant reads
-- exactly like one who does not exist.
begin;
\ir _fixtures/matrix.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the device codes',
    'select id from app.device_codes',
    '{dc_a1,dc_a2}', '{dc_a1,dc_a2}', '{dc_a2}', '{dc_a1}', '{}', '{}',
    '42501', '{dc_b1}', '42501', '42501', null
),
(
    'counts the code hashes',
    'select count(code_hash) from app.device_codes',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{3}'
),
(
    'looks up a code by the hash of the code of B or by a hash no code has',
    $$select id from app.device_codes
    where code_hash in (sha256(convert_to('dc_b1', 'UTF8')), sha256(convert_to('none', 'UTF8')))$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{dc_b1}'
),
(
    'issues a code for branch A2',
    $$insert into app.device_codes (restaurant_id, branch_id, code_hash, expires_at)
    values (@r_a, @br_a2, sha256(convert_to('new', 'UTF8')), now() + interval '1 hour')
    returning branch_id$$,
    '{br_a2}', '{br_a2}', '{br_a2}', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'issues a code for restaurant A on branch B1 of restaurant B',
    $$insert into app.device_codes (restaurant_id, branch_id, code_hash, expires_at)
    values (@r_a, @br_b1, sha256(convert_to('new', 'UTF8')), now() + interval '1 hour')
    returning branch_id$$,
    '23503', '23503', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'issues a code for branch A2 in its own name',
    $$insert into app.device_codes (restaurant_id, branch_id, code_hash, expires_at, created_by)
    values (
        @r_a, @br_a2, sha256(convert_to('new', 'UTF8')), now() + interval '1 hour',
        (select auth.user_id())
    )
    returning created_by$$,
    '{u_owner_a}', '{u_manager_a}', '{u_manager_a2}', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'issues a code for branch A2 in the name of the owner of A',
    $$insert into app.device_codes (restaurant_id, branch_id, code_hash, expires_at, created_by)
    values (
        @r_a, @br_a2, sha256(convert_to('new', 'UTF8')), now() + interval '1 hour', @u_owner_a
    )
    returning created_by$$,
    '{u_owner_a}', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', null
),
(
    'issues a code for branch A2 in the name of the owner of B',
    $$insert into app.device_codes (restaurant_id, branch_id, code_hash, expires_at, created_by)
    values (
        @r_a, @br_a2, sha256(convert_to('new', 'UTF8')), now() + interval '1 hour', @u_owner_b
    )
    returning branch_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
),
(
    'issues a code for branch A2 in the name of a user that does not exist',
    $$insert into app.device_codes (restaurant_id, branch_id, code_hash, expires_at, created_by)
    values (@r_a, @br_a2, sha256(convert_to('new', 'UTF8')), now() + interval '1 hour', @nope)
    returning branch_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '23503'
),
(
    'issues a code for branch A1 already bound to device D',
    $$insert into app.device_codes (restaurant_id, branch_id, code_hash, expires_at, device_id)
    values (@r_a, @br_a1, sha256(convert_to('new', 'UTF8')), now() + interval '1 hour', @dev_a1)
    returning branch_id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{br_a1}'
),
(
    'marks the code of branch A1 used',
    'update app.device_codes set used_at = now() where id = @dc_a1 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{dc_a1}'
),
(
    'deletes the code of branch A2',
    'delete from app.device_codes where id = @dc_a2 returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{dc_a2}'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'device_codes',
    array['select_as_manager', 'insert_as_manager'],
    'app.device_codes has exactly its two policies: read and issue, as owner or manager.'
);

select * from pg_temp.run_matrix('app.device_codes');

select * from finish();
rollback;
