-- Advisor rule: every table in app, and every table elsewhere that a request role (anon,
-- customer, staff, platform) holds a privilege on (audit.log, queue.events), has row level
-- security enabled and forced, and a policy. A partition needs RLS enabled and forced (direct
-- access is then denied by default) but no policy of its own: rows are reached through its
-- parent, whose policies apply. Outside app, a partition no request role may touch is
-- reached only through its parent and is not the rule's concern.
begin;
select plan(2);
set local search_path = public;

create temporary view rls_violations as
select
    pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, c.oid, 0) as relation,
    v.problem
from pg_catalog.pg_class as c
inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
cross join
    lateral (
        values
        ('rls not enabled', not c.relrowsecurity),
        ('rls not forced', not c.relforcerowsecurity),
        (
            'no policy',
            not c.relispartition
            and not exists (
                select 1 from pg_catalog.pg_policy as p
                where p.polrelid = c.oid
            )
        )
    ) as v (problem, failed)
where
    c.relkind in ('r', 'p')
    and n.nspname !~ '^pg_'
    and n.nspname <> 'information_schema'
    and (
        n.nspname = 'app'
        or exists (
            select 1
            from (values ('anon'), ('customer'), ('staff'), ('platform')) as r (role_name)
            where
                pg_catalog.has_table_privilege(
                    r.role_name, c.oid, 'select, insert, update, delete, truncate'
                )
                or pg_catalog.has_any_column_privilege(
                    r.role_name, c.oid, 'select, insert, update'
                )
        )
    )
    and v.failed
    and not exists (
        select 1 from pg_catalog.pg_depend as d
        where
            d.classid = 'pg_catalog.pg_class'::regclass
            and d.objid = c.oid
            and d.deptype = 'e'
    );

select is_empty(
    'select * from rls_violations',
    'Every table in app, and every table a request role may touch, has RLS enabled and '
    || 'forced, and at least one policy.'
);

-- The rule must be able to fail: one bad table per problem, next to correct ones.
create table app.advisor_no_rls (id integer);

create table app.advisor_not_forced (id integer);
alter table app.advisor_not_forced enable row level security;
create policy select_all on app.advisor_not_forced for select to staff using (true);

create table app.advisor_no_policy (id integer);
alter table app.advisor_no_policy enable row level security;
alter table app.advisor_no_policy force row level security;

create table app.advisor_parted (id integer, at date) partition by range (at);
alter table app.advisor_parted enable row level security;
create policy select_all on app.advisor_parted for select to staff using (true);
create table app.advisor_parted_2025 partition of app.advisor_parted
for values from ('2025-01-01') to ('2026-01-01');
alter table app.advisor_parted_2025 enable row level security;
alter table app.advisor_parted_2025 force row level security;
create table app.advisor_parted_2026 partition of app.advisor_parted
for values from ('2026-01-01') to ('2027-01-01');

create table app.advisor_good (id integer);
alter table app.advisor_good enable row level security;
alter table app.advisor_good force row level security;
create policy select_all on app.advisor_good for select to staff using (true);

create table report.advisor_elsewhere (id integer);

-- Outside app: a table granted to a request role (a column grant is enough) is held to the
-- rule; its partition, reached only through it, and a table nobody was granted are not.
create table report.advisor_granted (id integer);
grant select on report.advisor_granted to customer;

create table report.advisor_column_granted (id integer, note text);
grant update (note) on report.advisor_column_granted to staff;

create table queue.advisor_granted_parted (id integer, at date) partition by range (at);
alter table queue.advisor_granted_parted enable row level security;
alter table queue.advisor_granted_parted force row level security;
create policy select_all on queue.advisor_granted_parted for select to staff using (true);
grant select on queue.advisor_granted_parted to staff;
create table queue.advisor_granted_parted_2025 partition of queue.advisor_granted_parted
for values from ('2025-01-01') to ('2026-01-01');

select bag_eq(
    'select * from rls_violations',
    $$values
        ('table app.advisor_no_policy', 'no policy'),
        ('table app.advisor_no_rls', 'no policy'),
        ('table app.advisor_no_rls', 'rls not enabled'),
        ('table app.advisor_no_rls', 'rls not forced'),
        ('table app.advisor_not_forced', 'rls not forced'),
        ('table app.advisor_parted', 'rls not forced'),
        ('table app.advisor_parted_2026', 'rls not enabled'),
        ('table app.advisor_parted_2026', 'rls not forced'),
        ('table report.advisor_column_granted', 'no policy'),
        ('table report.advisor_column_granted', 'rls not enabled'),
        ('table report.advisor_column_granted', 'rls not forced'),
        ('table report.advisor_granted', 'no policy'),
        ('table report.advisor_granted', 'rls not enabled'),
        ('table report.advisor_granted', 'rls not forced')$$,
    'The RLS rule lists exactly the app tables (partitioned ones too) and the tables granted '
    || 'to a request role that miss RLS, FORCE or a policy; a partition needs no policy of its '
    || 'own, and outside app an ungranted partition or table is not listed.'
);

select * from finish();
rollback;
