-- RLS persona matrix of app.onboarding_codes: platform admins issue and list onboarding codes;
-- no request role reads a code's hash, so a code cannot be probed; codes are spent only by
-- api.onboard, never updated or deleted through a grant; tenants never see them.
begin;
\ir _fixtures/matrix.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the onboarding codes',
    'select id from app.onboarding_codes',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '{oc_open,oc_used}', '42501', null
),
(
    'counts the code hashes',
    'select count(code_hash) from app.onboarding_codes',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{2}'
),
(
    'looks up a code by the hash of the open code or by a hash no code has',
    $$select id from app.onboarding_codes
    where code_hash in (sha256(convert_to('oc_open', 'UTF8')), sha256(convert_to('x', 'UTF8')))$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{oc_open}'
),
(
    'issues an onboarding code',
    $$insert into app.onboarding_codes (code_hash, plan, expires_at)
    values (sha256(convert_to('new', 'UTF8')), 'pro', now() + interval '1 day') returning plan$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '{pro}', '42501', null
),
(
    'issues an onboarding code already spent on restaurant A',
    $$insert into app.onboarding_codes (code_hash, plan, expires_at, used_at, restaurant_id)
    values (sha256(convert_to('new', 'UTF8')), 'pro', now() + interval '1 day', now(), @r_a)
    returning plan$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{pro}'
),
(
    'marks the open code used',
    'update app.onboarding_codes set used_at = now() where id = @oc_open returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{oc_open}'
),
(
    'deletes the open code',
    'delete from app.onboarding_codes where id = @oc_open returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{oc_open}'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'onboarding_codes',
    array['select_as_platform_admin', 'insert_as_platform_admin'],
    'app.onboarding_codes has exactly its two policies: read and issue, as a platform admin.'
);

select * from pg_temp.run_matrix('app.onboarding_codes');

select * from finish();
rollback;
