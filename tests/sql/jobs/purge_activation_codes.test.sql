-- Job purge_activation_codes: app_private.purge_activation_codes() deletes unused onboarding
-- and device codes expired more than activation_code_keep ago (expired codes are refused when
-- presented already); used codes stay as the record of who activated what.
begin;
\ir ../policies/_fixtures/matrix.ddl
select plan(5);

select results_eq(
    $$select j.schedule, j.command, j.username from cron.job as j
    where j.jobname = 'purge_activation_codes'$$,
    $$values ('27 3 * * *', 'select app_private.purge_activation_codes()', 'brigade_owner')$$,
    'purge_activation_codes runs daily as brigade_owner.'
);

insert into pg_temp.fixture_ids (key) values
('oc_gone'), ('oc_lately'), ('oc_used_long_ago'), ('dc_gone'), ('dc_lately'), ('dc_used_long_ago');
insert into app.onboarding_codes (id, code_hash, expires_at, used_at, restaurant_id)
values
(pg_temp.id('oc_gone'), pg_temp.code_hash('oc_gone'), now() - interval '31 days', null, null),
(pg_temp.id('oc_lately'), pg_temp.code_hash('oc_lately'), now() - interval '1 day', null, null),
(
    pg_temp.id('oc_used_long_ago'), pg_temp.code_hash('oc_used_long_ago'),
    now() - interval '90 days', now() - interval '91 days', pg_temp.id('r_b')
);
insert into app.device_codes (restaurant_id, id, branch_id, code_hash, expires_at, used_at, device_id)
values
(
    pg_temp.id('r_a'), pg_temp.id('dc_gone'), pg_temp.id('br_a1'), pg_temp.code_hash('dc_gone'),
    now() - interval '31 days', null, null
),
(
    pg_temp.id('r_a'), pg_temp.id('dc_lately'), pg_temp.id('br_a1'),
    pg_temp.code_hash('dc_lately'), now() - interval '29 days', null, null
),
(
    pg_temp.id('r_a'), pg_temp.id('dc_used_long_ago'), pg_temp.id('br_a1'),
    pg_temp.code_hash('dc_used_long_ago'), now() - interval '90 days',
    now() - interval '91 days', pg_temp.id('dev_a1')
);

set local role brigade_owner;
select is(app_private.purge_activation_codes(), 2, 'The job deletes two codes.');
reset role;

select results_eq(
    $$select pg_temp.label(c.id::text) from app.onboarding_codes as c
    where c.id in (select f.id from pg_temp.fixture_ids as f) order by 1$$,
    $$values ('oc_lately'), ('oc_open'), ('oc_used'), ('oc_used_long_ago')$$,
    'Onboarding codes: the unused one expired 31 days ago is gone; recent, open and used stay.'
);
select results_eq(
    $$select pg_temp.label(c.id::text) from app.device_codes as c
    where c.id in (select f.id from pg_temp.fixture_ids as f) order by 1$$,
    $$values ('dc_a1'), ('dc_a2'), ('dc_b1'), ('dc_lately'), ('dc_used_long_ago')$$,
    'Device codes: the unused one expired 31 days ago is gone; recent, open and used stay.'
);

set local role brigade_owner;
select lives_ok(
    (
        select j.command from cron.job as j
        where j.jobname = 'purge_activation_codes'
    ),
    'The job''s command runs as brigade_owner.'
);
reset role;

select * from finish();
rollback;
