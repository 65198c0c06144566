-- api.create_device_code: owners and managers of the branch issue a code; it is shown
-- once, stored only as sha256, and expires in 24 hours.
begin;
select plan(14);
set local search_path = public;

\ir _fixtures/tenants.ddl

insert into app.branches (restaurant_id, id, name, deleted_at) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b3', 'A3', now()
);
create temporary table issued (code jsonb);
grant insert, select on issued to staff;

select pg_temp.act_as('owner_b');

select throws_ok(
    $$select api.create_device_code('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR404', null,
    'Another restaurant''s owner gets not_found (BR404) for A''s branch.'
);

select pg_temp.act_as('waiter_a');

select throws_ok(
    $$select api.create_device_code('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR403', null,
    'A waiter cannot issue device codes: forbidden (BR403).'
);

select pg_temp.act_as('kitchen_a');

select throws_ok(
    $$select api.create_device_code('a0000000-0000-7000-8000-0000000000b1')$$,
    'BR403', null,
    'Kitchen staff cannot issue device codes: forbidden (BR403).'
);

select pg_temp.act_as('manager_a1');

select throws_ok(
    $$select api.create_device_code('a0000000-0000-7000-8000-0000000000b2')$$,
    'BR404', null,
    'A manager of A1 does not see A2: not_found (BR404).'
);

select pg_temp.act_as('owner_a');

select throws_ok(
    $$select api.create_device_code('a0000000-0000-7000-8000-0000000000b3')$$,
    'BR404', null,
    'A deleted branch gets no device codes: not_found (BR404).'
);

reset role;
select is_empty(
    'select 1 from app.device_codes as d where pg_temp.ours(d.restaurant_id)',
    'After the refused calls no device code exists.'
);

select pg_temp.act_as('manager_a');

insert into issued (code)
select api.create_device_code('a0000000-0000-7000-8000-0000000000b1');
insert into issued (code)
select api.create_device_code('a0000000-0000-7000-8000-0000000000b1');

select ok(
    (select bool_and(i.code ->> 'activation_code' ~ '^[A-HJ-NP-Z2-9]{10}$') from issued as i),
    'The code is ten characters of an alphabet without look-alikes (no 0, O, 1, I).'
);
select is(
    (select count(distinct i.code ->> 'activation_code')::integer from issued as i),
    2,
    'Two codes are two different codes.'
);
select is(
    (select min((i.code ->> 'expires_at')::timestamptz) from issued as i),
    now() + interval '24 hours',
    'A code expires 24 hours after it was issued.'
);
select is(
    (select distinct (i.code ->> 'branch_id')::uuid from issued as i),
    'a0000000-0000-7000-8000-0000000000b1'::uuid,
    'The code is for the branch it was asked for.'
);

select pg_temp.act_as('manager_a1');

select lives_ok(
    $$select api.create_device_code('a0000000-0000-7000-8000-0000000000b1')$$,
    'A manager of A1 issues codes for A1.'
);

reset role;
select results_eq(
    $$select d.code_hash, d.restaurant_id, d.branch_id, d.created_by, d.used_at
        from app.device_codes as d
        inner join issued as i on d.id = (i.code ->> 'id')::uuid
        order by d.id$$,
    $$select extensions.digest(i.code ->> 'activation_code', 'sha256'),
            'a0000000-0000-7000-8000-000000000001'::uuid,
            'a0000000-0000-7000-8000-0000000000b1'::uuid,
            'a0000000-0000-7000-8000-000000000a02'::uuid,
            null::timestamptz
        from issued as i order by (i.code ->> 'id')::uuid$$,
    'Only sha256 of each code is stored, with its branch and who issued it; unused.'
);
select is_empty(
    $$select 1 from app.device_codes as d, issued as i
        where position(convert_to(i.code ->> 'activation_code', 'UTF8') in d.code_hash) > 0$$,
    'The code itself appears nowhere in the stored rows.'
);
select is(
    (
        select count(*)::integer from app.device_codes as d
        where pg_temp.ours(d.restaurant_id)
    ),
    3,
    'Exactly the three allowed calls wrote a code.'
);

select * from finish();
rollback;
