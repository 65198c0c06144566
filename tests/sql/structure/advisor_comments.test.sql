-- Advisor rule: every table, view, function and policy of ours (schemas app, app_private,
-- api, auth, queue, audit, report, meta) says why it exists (`comment on`); an api function's
-- comment is its OpenAPI summary. Partitions are exempt: they are created by schedule and
-- described by their parent. Members of extensions (pg_cron's tables and policies) are not
-- ours.
begin;
select plan(2);
set local search_path = public;

create temporary view missing_comments as
select pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, c.oid, 0) as object
from pg_catalog.pg_class as c
inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
where
    n.nspname in ('app', 'app_private', 'api', 'auth', 'queue', 'audit', 'report', 'meta')
    and c.relkind in ('r', 'p', 'v', 'm', 'f')
    and not c.relispartition
    and pg_catalog.obj_description(c.oid, 'pg_class') is null
    and not exists (
        select 1 from pg_catalog.pg_depend as d
        where
            d.classid = 'pg_catalog.pg_class'::regclass
            and d.objid = c.oid
            and d.deptype = 'e'
    )
union all
select pg_catalog.pg_describe_object('pg_catalog.pg_proc'::regclass, p.oid, 0) as object
from pg_catalog.pg_proc as p
inner join pg_catalog.pg_namespace as n on p.pronamespace = n.oid
where
    n.nspname in ('app', 'app_private', 'api', 'auth', 'queue', 'audit', 'report', 'meta')
    and pg_catalog.obj_description(p.oid, 'pg_proc') is null
    and not exists (
        select 1 from pg_catalog.pg_depend as d
        where
            d.classid = 'pg_catalog.pg_proc'::regclass
            and d.objid = p.oid
            and d.deptype = 'e'
    )
union all
select pg_catalog.pg_describe_object('pg_catalog.pg_policy'::regclass, pol.oid, 0) as object
from pg_catalog.pg_policy as pol
inner join pg_catalog.pg_class as c on pol.polrelid = c.oid
inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
where
    n.nspname in ('app', 'app_private', 'api', 'auth', 'queue', 'audit', 'report', 'meta')
    and pg_catalog.obj_description(pol.oid, 'pg_policy') is null;

select is_empty(
    'select * from missing_comments',
    'Every table, view, function and policy of ours has a comment saying why it exists.'
);

-- The rule must be able to fail: uncommented objects next to commented ones.
create table app.advisor_uncommented (id integer);
create table app.advisor_commented (id integer);
comment on table app.advisor_commented is 'Commented, so not reported.';

create table app.advisor_parted (id integer, at date) partition by range (at);
comment on table app.advisor_parted is 'Commented parent: its partitions need no comment.';
create table app.advisor_parted_2025 partition of app.advisor_parted
for values from ('2025-01-01') to ('2026-01-01');

create view api.advisor_uncommented_view as select 1 as one;

create function auth.advisor_uncommented() returns integer
language sql immutable
set search_path = ''
as $$ select 1 $$;

create procedure app.advisor_uncommented_proc()
language sql
as $$ select 1 $$;

create function api.advisor_commented() returns integer
language sql immutable
set search_path = ''
as $$ select 1 $$;
comment on function api.advisor_commented() is 'Commented, so not reported.';

create table queue.advisor_uncommented (id integer);

create policy advisor_uncommented on app.advisor_commented for select to staff using (true);
create policy advisor_commented on app.advisor_commented for select to customer using (true);
comment on policy advisor_commented on app.advisor_commented is 'Commented, so not reported.';

-- Outside our schemas: not the rule's concern.
create table public.advisor_uncommented (id integer);

select bag_eq(
    'select * from missing_comments',
    $$values
        ('table app.advisor_uncommented'),
        ('view api.advisor_uncommented_view'),
        ('function auth.advisor_uncommented()'),
        ('function app.advisor_uncommented_proc()'),
        ('table queue.advisor_uncommented'),
        ('policy advisor_uncommented on table app.advisor_commented')$$,
    'The comment rule lists exactly the uncommented tables, views, functions, procedures and '
    || 'policies of our schemas.'
);

select * from finish();
rollback;
