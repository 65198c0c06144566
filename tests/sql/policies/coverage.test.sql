-- Every table of app, audit.log, and any other table a request role holds a privilege on, has
-- its persona matrix in tests/sql/policies. pgTAP cannot list files, so the tables that have a
-- matrix file are listed here: a new table fails this test until its file and its line exist.
begin;
select plan(2);
set local search_path = public;

-- Keep in step with tests/sql/policies/<table>.test.sql (audit.log: audit_log.test.sql;
-- queue.events, granted to staff and customer for SSE replay: events.test.sql).
create temporary view tables_with_matrix as
select v.name as tab
from (
    values
    ('app.restaurants'),
    ('app.branches'),
    ('app.users'),
    ('app.memberships'),
    ('app.membership_branches'),
    ('app.stations'),
    ('app.dining_tables'),
    ('app.table_sessions'),
    ('app.devices'),
    ('app.device_codes'),
    ('app.onboarding_codes'),
    ('app.categories'),
    ('app.items'),
    ('app.modifier_groups'),
    ('app.modifier_options'),
    ('app.item_modifier_groups'),
    ('app.branch_item_availability'),
    ('app.station_categories'),
    ('app.webhook_subscriptions'),
    ('app.webhook_deliveries'),
    ('app.notifications'),
    ('app.orders'),
    ('app.order_items'),
    ('app.tickets'),
    ('app.order_status_changes'),
    ('audit.log'),
    ('queue.events')
) as v (name);

-- Tables that need a matrix: every table of app (not a partition, not an extension's), the
-- audit trail, and whatever else anon, customer, staff or platform were granted anything on.
create temporary view tables_needing_matrix as
select c.oid::regclass::text as tab
from pg_catalog.pg_class as c
inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
where
    c.relkind in ('r', 'p', 'v', 'm', 'f')
    and not c.relispartition
    and n.nspname !~ '^pg_'
    and n.nspname <> 'information_schema'
    and not exists (
        select 1 from pg_catalog.pg_depend as d
        where
            d.classid = 'pg_catalog.pg_class'::regclass
            and d.objid = c.oid
            and d.deptype = 'e'
    )
    and (
        (n.nspname = 'app' and c.relkind in ('r', 'p'))
        or (n.nspname = 'audit' and c.relname = 'log')
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
    );

create temporary view matrix_gaps as
select
    n.tab,
    'no matrix' as problem
from pg_temp.tables_needing_matrix as n
where n.tab not in (select w.tab from pg_temp.tables_with_matrix as w)
union all
select
    w.tab,
    'listed but needs no matrix' as problem
from pg_temp.tables_with_matrix as w
where w.tab not in (select n.tab from pg_temp.tables_needing_matrix as n);

select is_empty(
    'select * from pg_temp.matrix_gaps',
    'Every table of app, audit.log and every table a request role may touch has a persona '
    || 'matrix file in tests/sql/policies, and every table listed here needs one.'
);

-- The rule must be able to fail: an app table, a table granted to a request role elsewhere,
-- and a partition (reached through its parent, so it needs no matrix of its own); and a
-- listed table that is gone. Only what these add is compared, whatever else is missing.
create temporary table gaps_before as
select * from pg_temp.matrix_gaps;

alter table app.onboarding_codes rename to coverage_renamed;
create table app.coverage_probe (id integer);
create table report.coverage_granted (id integer);
grant select on report.coverage_granted to customer;
create table report.coverage_parted (id integer, at date) partition by range (at);
create table report.coverage_parted_2025 partition of report.coverage_parted
for values from ('2025-01-01') to ('2026-01-01');
grant select on report.coverage_parted_2025 to staff;
create table report.coverage_private (id integer);

select bag_eq(
    'select * from pg_temp.matrix_gaps except all select * from pg_temp.gaps_before',
    $$values
        ('app.coverage_probe', 'no matrix'),
        ('app.coverage_renamed', 'no matrix'),
        ('report.coverage_granted', 'no matrix'),
        ('app.onboarding_codes', 'listed but needs no matrix')$$,
    'The coverage rule reports new tables of app, tables granted to a request role and '
    || 'listed tables that are gone; not a partition or a table no request role can reach.'
);

select * from finish();
rollback;
