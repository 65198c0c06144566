-- RLS persona matrix of app.restaurants: staff and guests read the restaurant their token
-- names, the owner edits its settings, platform admins see all and set status and plan.
begin;
\ir _fixtures/matrix.ddl

-- Cells: owner_a, manager_a, manager_a2, manager_a1, waiter_a, kitchen_a,
--        customer_s1, owner_b, platform_admin, anon, superuser (control, optional).
insert into pg_temp.matrix values
(
    'lists the restaurants',
    'select id from app.restaurants',
    '{r_a}', '{r_a}', '{r_a}', '{r_a}', '{r_a}', '{r_a}',
    '{r_a}', '{r_b}', '{r_a,r_b,r_c}', '42501', null
),
(
    'looks up the slug of restaurant B or a slug nobody has',
    $$select id from app.restaurants where slug in ('bravo', 'no-such-slug')$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '{}', '{r_b}', '{r_b}', '42501', null
),
(
    'opens a restaurant',
    $$insert into app.restaurants (name, slug, currency, timezone)
    values ('Delta', 'delta', 'EUR', 'UTC') returning slug$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{delta}'
),
(
    'renames restaurant A',
    $$update app.restaurants set name = 'Alpha Bistro' where id = @r_a returning id$$,
    '{r_a}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{}', '42501', '42501', null
),
(
    'renames restaurant B or a restaurant that does not exist',
    $$update app.restaurants set name = 'Mine' where id in (@r_b, @nope) returning id$$,
    '{}', '{}', '{}', '{}', '{}', '{}',
    '42501', '{r_b}', '42501', '42501', null
),
(
    'changes the slug of restaurant A',
    $$update app.restaurants set slug = 'alpha-two' where id = @r_a returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{r_a}'
),
(
    'suspends restaurant A',
    $$update app.restaurants set status = 'suspended' where id = @r_a returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '{r_a}', '42501', null
),
(
    'moves restaurant A to the pro plan',
    $$update app.restaurants set plan = 'pro' where id = @r_a returning id$$,
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '{r_a}', '42501', null
),
(
    'deletes restaurant C',
    'delete from app.restaurants where id = @r_c returning id',
    '42501', '42501', '42501', '42501', '42501', '42501',
    '42501', '42501', '42501', '42501', '{r_c}'
);

select plan(pg_temp.matrix_plan() + 1);

select policies_are(
    'app', 'restaurants',
    array[
        'select_own_restaurant', 'select_as_platform_admin',
        'update_as_owner', 'update_as_platform_admin'
    ],
    'app.restaurants has exactly its four policies: read own, read all as admin, update as '
    || 'owner, update as admin.'
);

select * from pg_temp.run_matrix('app.restaurants');

select * from finish();
rollback;
