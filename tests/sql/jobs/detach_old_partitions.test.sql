-- Job detach_old_partitions: app_private.detach_all_old_partitions() detaches, for every table in
-- app_private.retention, the partitions whose whole month is older than its retention, and moves
-- them into the archive schema (app_private.detach_old_partitions(parent, keep)).
begin;
select plan(14);
set local search_path = public;

select results_eq(
    $$select j.schedule, j.command, j.username from cron.job as j
    where j.jobname = 'detach_old_partitions'$$,
    $$values ('15 1 * * *', 'select app_private.detach_all_old_partitions()', 'brigade_owner')$$,
    'detach_old_partitions runs daily as brigade_owner.'
);

select is(
    (
        select n.nspowner::regrole::text from pg_namespace as n
        where n.nspname = 'archive'
    ),
    'brigade_owner',
    'The archive schema belongs to the owner role.'
);
select is_empty(
    $$select r.rolname from pg_roles as r
    where r.rolname in ('anon', 'customer', 'staff', 'platform', 'worker', 'authenticator')
        and has_schema_privilege(r.rolname, 'archive', 'usage')$$,
    'No request role, nor the worker or the API login, may use the archive schema.'
);

create schema pgtap_parts;
create table pgtap_parts.events (
    id bigint generated always as identity,
    at timestamptz not null,
    note text not null,
    primary key (at, id)
) partition by range (at);
create table pgtap_parts.events_default partition of pgtap_parts.events default;
create table pgtap_parts.events_200101 partition of pgtap_parts.events
for values from ('2001-01-01 00:00+00') to ('2001-02-01 00:00+00');
create table pgtap_parts.events_200102 partition of pgtap_parts.events
for values from ('2001-02-01 00:00+00') to ('2001-03-01 00:00+00');
-- The month that straddles the retention boundary: not wholly older, so it stays.
create table pgtap_parts.events_straddle partition of pgtap_parts.events
for values from (now() - interval '1 year' - interval '10 days')
to (now() - interval '1 year' + interval '20 days');
create table pgtap_parts.events_now partition of pgtap_parts.events
for values from (now() - interval '1 day') to (now() + interval '1 day');
alter schema pgtap_parts owner to brigade_owner;
alter table pgtap_parts.events owner to brigade_owner;
alter table pgtap_parts.events_default owner to brigade_owner;
alter table pgtap_parts.events_200101 owner to brigade_owner;
alter table pgtap_parts.events_200102 owner to brigade_owner;
alter table pgtap_parts.events_straddle owner to brigade_owner;
alter table pgtap_parts.events_now owner to brigade_owner;
insert into pgtap_parts.events (at, note) values
('2001-01-15 12:00+00', 'jan 2001'), ('2001-02-15 12:00+00', 'feb 2001'),
('1999-06-01 00:00+00', 'in the default partition'), (now(), 'now');

set local role brigade_owner;
select is(
    app_private.detach_old_partitions('pgtap_parts.events', interval '1 year'), 2,
    'Two partitions are wholly older than a year: both are detached.'
);
reset role;

select set_eq(
    $$select c.relname::text from pg_inherits as i inner join pg_class as c on i.inhrelid = c.oid
    where i.inhparent = 'pgtap_parts.events'::regclass$$,
    $$values ('events_default'), ('events_straddle'), ('events_now')$$,
    'The straddling, current and default partitions stay attached.'
);
select results_eq(
    $$select note from archive.pgtap_parts_events_200101
    union all select note from archive.pgtap_parts_events_200102$$,
    $$values ('jan 2001'), ('feb 2001')$$,
    'The detached partitions are in archive, renamed <schema>_<table>, rows intact.'
);
select is(
    (
        select c.relispartition from pg_class as c
        where c.oid = 'archive.pgtap_parts_events_200101'::regclass
    ),
    false,
    'An archived partition is a table of its own, no longer part of pgtap_parts.events.'
);
select results_eq(
    'select note from pgtap_parts.events order by at',
    $$values ('in the default partition'), ('now')$$,
    'Queries of the live table no longer see the archived months.'
);
select isnt(
    obj_description('archive.pgtap_parts_events_200101'::regclass, 'pg_class'),
    null,
    'An archived table says where it came from and when it was detached.'
);

set local role brigade_owner;
select is(
    app_private.detach_old_partitions('pgtap_parts.events', interval '1 year'), 0,
    'A second run detaches nothing.'
);
select throws_ok(
    $$select app_private.detach_old_partitions('pgtap_parts.events', interval '1 day')$$,
    'BR422', null,
    'A retention under a month is refused (BR422): it would archive the current month.'
);
reset role;

-- Through the job: retention per table is a row of app_private.retention.
create table pgtap_parts.events_200201 partition of pgtap_parts.events
for values from ('2002-01-01 00:00+00') to ('2002-02-01 00:00+00');
alter table pgtap_parts.events_200201 owner to brigade_owner;
insert into app_private.retention (table_name, keep, months_ahead, description)
values ('pgtap_parts.events', interval '7 years', 3, 'pgTAP');
create temporary table audit_partitions_before as
select i.inhrelid::regclass::text as partition
from pg_inherits as i
where i.inhparent = 'audit.log'::regclass;
set local role brigade_owner;
select lives_ok(
    (
        select j.command from cron.job as j
        where j.jobname = 'detach_old_partitions'
    ),
    'The job''s command runs as brigade_owner.'
);
reset role;
select isnt(
    to_regclass('archive.pgtap_parts_events_200201'),
    null,
    'The job detached the 2002 partition of the registered table.'
);
select set_eq(
    $$select i.inhrelid::regclass::text from pg_inherits as i
    where i.inhparent = 'audit.log'::regclass$$,
    'select partition from audit_partitions_before',
    'audit.log, kept ten years, keeps every partition it has.'
);

select * from finish();
rollback;
