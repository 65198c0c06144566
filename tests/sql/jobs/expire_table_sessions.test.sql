-- Job expire_table_sessions: app_private.expire_table_sessions() closes the table sessions idle
-- longer than job_settings.table_session_idle; their customer tokens stop working at once.
begin;
\ir ../policies/_fixtures/matrix.ddl
select plan(10);
-- The customer's claims name fixture rows by key.
grant select on pg_temp.fixture_ids to customer;

select results_eq(
    $$select j.schedule, j.command, j.username from cron.job as j
    where j.jobname = 'expire_table_sessions'$$,
    $$values ('*/10 * * * *', 'select app_private.expire_table_sessions()', 'brigade_owner')$$,
    'expire_table_sessions runs every ten minutes as brigade_owner.'
);
select is(
    (
        select s.value from app_private.job_settings as s
        where s.name = 'table_session_idle'
    ),
    interval '12 hours',
    'A table session is idle after twelve hours by default (a row DBAs tune with an UPDATE).'
);

-- Idle counts from the last order, not from the opening. S2: opened and last active 13 hours
-- ago. S1: opened 13 hours ago but ordered an hour ago. S_A2: idle 11 hours. S_B: just now.
-- S_CLOSED closed an hour ago.
update app.table_sessions
set opened_at = now() - interval '13 hours', last_activity_at = now() - interval '13 hours'
where id = pg_temp.id('s2');
update app.table_sessions
set opened_at = now() - interval '13 hours', last_activity_at = now() - interval '1 hour'
where id = pg_temp.id('s1');
update app.table_sessions
set opened_at = now() - interval '11 hours', last_activity_at = now() - interval '11 hours'
where id = pg_temp.id('s_a2');
create temporary table before_run as
select
    s.id,
    s.closed_at
from app.table_sessions as s;

-- The customer of S2, before: the token works.
set local role customer;
select set_config('request.jwt.claims', jsonb_build_object(
    'sub', pg_temp.id('s2'), 'role', 'customer', 'app_role', 'customer',
    'restaurant_id', pg_temp.id('r_a'), 'branch_id', pg_temp.id('br_a1'),
    'session_id', pg_temp.id('s2')
)::text, true);
select lives_ok('select auth.assert_active()', 'Before the job, the token of session S2 works.');
reset role;
select set_config('request.jwt.claims', '', true);

set local role brigade_owner;
select is(app_private.expire_table_sessions(), 1, 'The job closes one session: S2, idle 13 hours.');
reset role;

select results_eq(
    $$select pg_temp.label(s.id::text) from app.table_sessions as s
    where s.closed_at is distinct from (select b.closed_at from before_run as b where b.id = s.id)
    order by 1$$,
    $$values ('s2')$$,
    'Only S2 changed: sessions active within 12 hours and the already closed one are untouched.'
);
select is(
    (
        select s.closed_at from app.table_sessions as s
        where s.id = pg_temp.id('s2')
    ),
    now(),
    'S2 is closed now.'
);

set local role customer;
select set_config('request.jwt.claims', jsonb_build_object(
    'sub', pg_temp.id('s2'), 'role', 'customer', 'app_role', 'customer',
    'restaurant_id', pg_temp.id('r_a'), 'branch_id', pg_temp.id('br_a1'),
    'session_id', pg_temp.id('s2')
)::text, true);
select throws_ok(
    'select auth.assert_active()', 'BR401', 'This table session is closed.',
    'After the job, the token of session S2 is refused (BR401 session_closed).'
);
select set_config('request.jwt.claims', jsonb_build_object(
    'sub', pg_temp.id('s1'), 'role', 'customer', 'app_role', 'customer',
    'restaurant_id', pg_temp.id('r_a'), 'branch_id', pg_temp.id('br_a1'),
    'session_id', pg_temp.id('s1')
)::text, true);
select lives_ok('select auth.assert_active()', 'The token of the fresh session S1 still works.');
reset role;
select set_config('request.jwt.claims', '', true);

-- A DBA shortens the idle time: the next run closes S_A2 (11 hours) too.
update app_private.job_settings set value = interval '10 hours'
where name = 'table_session_idle';
set local role brigade_owner;
select lives_ok(
    (
        select j.command from cron.job as j
        where j.jobname = 'expire_table_sessions'
    ),
    'The job''s command runs as brigade_owner.'
);
reset role;
select is(
    (
        select s.closed_at is not null from app.table_sessions as s
        where s.id = pg_temp.id('s_a2')
    ),
    true,
    'With table_session_idle at 10 hours, the next run closes S_A2 as well.'
);

select * from finish();
rollback;
