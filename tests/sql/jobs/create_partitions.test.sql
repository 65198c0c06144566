-- Job create_partitions: app_private.create_all_partitions() creates the monthly partitions of
-- every table in app_private.retention up to its months_ahead, through
-- app_private.create_partitions(parent, months_ahead), which is idempotent and generic (any
-- table partitioned by month on one timestamptz or date column) and MOVES rows of a new month
-- out of the DEFAULT partition into the new partition, so that the partition can exist.
begin;
select plan(17);
set local client_min_messages = warning;
set local search_path = public;

select results_eq(
    $$select j.schedule, j.command, j.username from cron.job as j
    where j.jobname = 'create_partitions'$$,
    $$values ('5 0 * * *', 'select app_private.create_all_partitions()', 'brigade_owner')$$,
    'create_partitions runs daily as brigade_owner (a missed run heals the next day).'
);
select results_eq(
    $$select r.table_name, r.keep, r.months_ahead from app_private.retention as r
    where r.table_name = 'audit.log'$$,
    $$values ('audit.log', interval '10 years', 3)$$,
    'audit.log is registered: three months ahead, kept ten years.'
);

-- A month, as its partition suffix, from the current UTC month.
create function pg_temp.month(months_from_now integer)
returns text
language sql
stable
as $$
    select to_char(
        (date_trunc('month', now(), 'UTC') + make_interval(months => months_from_now))
        at time zone 'UTC',
        'YYYYMM'
    )
$$;

set local role brigade_owner;
select lives_ok('select app_private.create_all_partitions()', 'The job runs as brigade_owner.');
select is(
    app_private.create_all_partitions(), 0,
    'A second run creates nothing: it is idempotent.'
);
reset role;
select is(
    (
        select array_agg(m order by m)
        from generate_series(0, 3) as g (n)
        cross join lateral (select 'log_' || pg_temp.month(g.n) as m) as x
        where to_regclass('audit.' || m) is null
    ),
    null,
    'audit.log has a partition for this month and each of the next three.'
);

-- A table like the ones to come (queue.events, orders): partitioned by month with a default
-- partition, an identity id, an append-only guard, and rows waiting in the default partition.
create schema pgtap_parts;
create table pgtap_parts.events (
    id bigint generated always as identity,
    at timestamptz not null,
    note text not null check (note <> ''),
    primary key (at, id)
) partition by range (at);
create table pgtap_parts.events_default partition of pgtap_parts.events default;
create function pgtap_parts.refuse() returns trigger language plpgsql as $$
begin
    raise exception 'append only';
end;
$$;
create trigger _000_append_only before update or delete on pgtap_parts.events
for each row execute function pgtap_parts.refuse();
alter schema pgtap_parts owner to brigade_owner;
alter table pgtap_parts.events owner to brigade_owner;
alter table pgtap_parts.events_default owner to brigade_owner;

insert into pgtap_parts.events (at, note) values
(date_trunc('month', now(), 'UTC') + interval '2 months 3 days', 'two months ahead'),
(date_trunc('month', now(), 'UTC') - interval '14 months' + interval '1 day', 'fourteen months ago'),
(now(), 'now');
create temporary table events_before as select * from pgtap_parts.events;

set local role brigade_owner;
select is(
    app_private.create_partitions('pgtap_parts.events', 2), 4,
    'Three months from now (this one and two ahead) and the month of the old row are created.'
);
reset role;
select results_eq(
    $$select tableoid::regclass::text, note from pgtap_parts.events order by at$$,
    format(
        $f$values ('pgtap_parts.events_%s', 'fourteen months ago'),
        ('pgtap_parts.events_%s', 'now'), ('pgtap_parts.events_%s', 'two months ahead')$f$,
        pg_temp.month(-14), pg_temp.month(0), pg_temp.month(2)
    ),
    'Each waiting row was moved out of the default partition into the partition of its month.'
);
select set_eq(
    'select * from pgtap_parts.events',
    'select * from events_before',
    'The rows moved unchanged, ids included.'
);
select is_empty(
    'select 1 from pgtap_parts.events_default',
    'The default partition is empty.'
);
select is(
    (
        select t.tgenabled from pg_trigger as t
        where t.tgrelid = 'pgtap_parts.events_default'::regclass and t.tgname = '_000_append_only'
    ),
    'O',
    'The append-only guard of the default partition is on again after the move.'
);
select throws_ok(
    $$delete from pgtap_parts.events where note = 'now'$$,
    'P0001', 'append only',
    'A moved row is guarded like any other: its partition got the parent''s trigger.'
);
select is(
    (
        select count(*)::integer
        from pg_indexes
        where
            schemaname = 'pgtap_parts'
            and tablename = 'events_' || pg_temp.month(1) and indexdef like '%(at, id)%'
    ),
    1,
    'A new partition has the parent''s primary key index.'
);
select is(
    (
        select c.relowner::regrole::text from pg_class as c
        where c.oid = ('pgtap_parts.events_' || pg_temp.month(2))::regclass
    ),
    'brigade_owner',
    'The partitions belong to the owner role.'
);

insert into pgtap_parts.events (at, note) values
(date_trunc('month', now(), 'UTC') + interval '1 month', 'routed');
select is(
    (
        select tableoid::regclass::text from pgtap_parts.events
        where note = 'routed'
    ),
    'pgtap_parts.events_' || pg_temp.month(1),
    'New rows go straight to their month''s partition.'
);

-- Registered in app_private.retention, the job extends it to months_ahead; a registered table
-- that does not exist (yet) is skipped.
insert into app_private.retention (table_name, keep, months_ahead, description) values
('pgtap_parts.events', interval '1 year', 4, 'pgTAP'),
('pgtap_parts.missing', interval '1 year', 3, 'pgTAP: not created yet');
set local role brigade_owner;
select is(
    app_private.create_all_partitions(), 2,
    'The job creates the two more months months_ahead = 4 asks for, and skips a missing table.'
);
select throws_ok(
    $$select app_private.create_partitions('app.restaurants')$$,
    'BR422', null,
    'A table that is not partitioned by range on a time column is refused (BR422).'
);
reset role;

-- A date-keyed table works too.
create table pgtap_parts.days (day date not null) partition by range (day);
alter table pgtap_parts.days owner to brigade_owner;
set local role brigade_owner;
select is(
    app_private.create_partitions('pgtap_parts.days', 1), 2,
    'A table partitioned on a date column gets its months as well.'
);
reset role;

select * from finish();
rollback;
