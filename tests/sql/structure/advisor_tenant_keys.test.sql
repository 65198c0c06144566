-- Advisor rules on tenant keys (ARCHITECTURE §4): a table with restaurant_id has a primary
-- key, and it and every unique index lead with restaurant_id; a foreign key between two such
-- tables pairs restaurant_id with restaurant_id, so a row never points at another tenant's row.
begin;
select plan(6);
set local search_path = public;

-- Exemptions from the key rule, each with its reason (a dead entry is reported below).
-- Tables whose restaurant_id is an optional reference, not their tenant key; their partitions
-- follow them.
create temporary table key_rule_exempt_tables (
    relation text primary key,
    reason text not null
);
insert into key_rule_exempt_tables (relation, reason) values
(
    'queue.tasks',
    'a task may serve no restaurant (platform work): keyed by its bigint id, claimed by state'
),
(
    'app.onboarding_codes',
    'a code exists before its restaurant: restaurant_id is null until the code is used'
),
(
    'app_private.refresh_tokens',
    'a sign-in belongs to a user: restaurant_id is the chosen tenant, null for platform admins'
),
(
    'audit.log',
    'platform actions have no restaurant; partitioned by month, so keyed by (at, id)'
);

-- Unique indexes that must be global: a secret that finds its tenant before anyone is known.
create temporary table global_unique_indexes (
    index_name text primary key,
    reason text not null
);
insert into global_unique_indexes (index_name, reason) values
(
    'app.dining_tables_qr_token_key',
    'a scanned QR token finds its table (and tenant) before the guest has any identity'
),
(
    'app.device_codes_code_hash_key',
    'an activation code finds its branch (and tenant) before the device has any identity'
),
(
    'app_private.device_secrets_token_hash_key',
    'a device token finds its device (and tenant) before the PIN login'
);

-- Tables of ours that carry restaurant_id, with the column's number.
create temporary view tenant_tables as
select
    c.oid,
    a.attnum as restaurant_attnum,
    pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, c.oid, 0) as relation
from pg_catalog.pg_class as c
inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
inner join pg_catalog.pg_attribute as a
    on
        c.oid = a.attrelid
        and a.attname = 'restaurant_id'
        and a.attnum > 0
        and not a.attisdropped
where
    n.nspname in ('app', 'app_private', 'api', 'auth', 'queue', 'audit', 'report', 'meta')
    and c.relkind in ('r', 'p')
    and not exists (
        select 1 from pg_catalog.pg_depend as d
        where
            d.classid = 'pg_catalog.pg_class'::regclass
            and d.objid = c.oid
            and d.deptype = 'e'
    );

create temporary view tenant_key_violations as
with
keyed as (
    select
        t.oid,
        t.restaurant_attnum,
        t.relation
    from tenant_tables as t
    where
        not exists (
            select 1 from key_rule_exempt_tables as e
            where
                pg_catalog.to_regclass(e.relation)
                = coalesce(pg_catalog.pg_partition_root(t.oid), t.oid)
        )
)

select
    k.relation,
    'no primary key' as problem
from keyed as k
where
    not exists (
        select 1 from pg_catalog.pg_index as i
        where i.indrelid = k.oid and i.indisprimary
    )
union all
select
    k.relation,
    case when i.indisprimary then 'primary key ' else 'unique ' end
    || pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, i.indexrelid, 0)
    || ' does not lead with restaurant_id' as problem
from keyed as k
inner join pg_catalog.pg_index as i on k.oid = i.indrelid
where
    i.indisunique
    -- int2vector subscripts start at 0; an expression column is 0 and never matches.
    and i.indkey[0] <> k.restaurant_attnum
    and not exists (
        select 1 from global_unique_indexes as g
        where
            pg_catalog.to_regclass(g.index_name)
            = coalesce(pg_catalog.pg_partition_root(i.indexrelid), i.indexrelid)
    );

-- An exemption is dead when its table has no restaurant_id (or is gone), or when its index
-- is gone or leads with restaurant_id after all.
create temporary view key_rule_exemptions_stale as
select e.relation as entry
from key_rule_exempt_tables as e
where
    not exists (
        select 1 from tenant_tables as t
        where t.oid = pg_catalog.to_regclass(e.relation)
    )
union all
select g.index_name as entry
from global_unique_indexes as g
where
    not exists (
        select 1
        from tenant_tables as t
        inner join pg_catalog.pg_index as i on t.oid = i.indrelid
        where
            i.indexrelid = pg_catalog.to_regclass(g.index_name)
            and i.indisunique
            and i.indkey[0] <> t.restaurant_attnum
    );

create temporary view tenant_foreign_key_violations as
select
    pg_catalog.pg_describe_object('pg_catalog.pg_constraint'::regclass, fk.oid, 0)
        as foreign_key,
    parent.relation as referenced
from pg_catalog.pg_constraint as fk
inner join tenant_tables as child on fk.conrelid = child.oid
inner join tenant_tables as parent on fk.confrelid = parent.oid
where
    fk.contype = 'f'
    -- a foreign key on a partitioned table is cloned on each partition: report it once.
    and fk.conparentid = 0
    and not exists (
        select 1 from pg_catalog.generate_subscripts(fk.conkey, 1) as k (i)
        where
            fk.conkey[k.i] = child.restaurant_attnum
            and fk.confkey[k.i] = parent.restaurant_attnum
    );

select is_empty(
    'select * from tenant_key_violations',
    'Every table with restaurant_id has a primary key, and it and every unique index lead '
    || 'with restaurant_id.'
);

select is_empty(
    'select * from key_rule_exemptions_stale',
    'Every exemption from the key rule names a table with restaurant_id or a unique index '
    || 'that does not lead with it: no dead entry.'
);

select is_empty(
    'select * from tenant_foreign_key_violations',
    'Every foreign key between two tables with restaurant_id pairs restaurant_id with '
    || 'restaurant_id.'
);

-- The rules must be able to fail: bad tables and keys next to correct ones.
create table app.advisor_parents (
    restaurant_id uuid not null,
    id uuid not null,
    name text not null,
    primary key (restaurant_id, id),
    unique (restaurant_id, name)
);

create table app.advisor_id_first (
    id uuid not null,
    restaurant_id uuid not null,
    primary key (id, restaurant_id)
);

create table queue.advisor_no_pk (
    restaurant_id uuid not null,
    id uuid not null
);

create table app.advisor_loose_parents (
    restaurant_id uuid not null,
    id uuid not null,
    code text not null,
    primary key (restaurant_id, id),
    unique (id),
    unique (code, restaurant_id)
);
create unique index advisor_loose_parents_lower_code
on app.advisor_loose_parents (pg_catalog.lower(code));

create table app.advisor_globals (
    id uuid primary key,
    code text not null unique
);

create table app.advisor_children (
    restaurant_id uuid not null,
    id uuid not null,
    parent_id uuid not null,
    global_id uuid references app.advisor_globals (id),
    primary key (restaurant_id, id),
    foreign key (restaurant_id, parent_id) references app.advisor_parents (restaurant_id, id)
);

create table app.advisor_loose_children (
    restaurant_id uuid not null,
    id uuid not null,
    parent_id uuid not null references app.advisor_loose_parents (id),
    primary key (restaurant_id, id)
);

create table app.advisor_crossed_children (
    restaurant_id uuid not null,
    id uuid not null,
    other_restaurant_id uuid not null,
    parent_id uuid not null,
    primary key (restaurant_id, id),
    constraint advisor_crossed_fkey foreign key (other_restaurant_id, parent_id)
    references app.advisor_parents (restaurant_id, id)
);

-- Partitioned: the partition's cloned foreign key is not reported a second time.
create table app.advisor_parted_children (
    restaurant_id uuid not null,
    id uuid not null,
    at date not null,
    parent_id uuid not null references app.advisor_loose_parents (id),
    primary key (restaurant_id, id, at)
) partition by range (at);
create table app.advisor_parted_children_2025 partition of app.advisor_parted_children
for values from ('2025-01-01') to ('2026-01-01');

select bag_eq(
    'select * from tenant_key_violations',
    $$values
        (
            'table app.advisor_id_first',
            'primary key index app.advisor_id_first_pkey does not lead with restaurant_id'
        ),
        (
            'table app.advisor_loose_parents',
            'unique index app.advisor_loose_parents_code_restaurant_id_key does not lead with '
            || 'restaurant_id'
        ),
        (
            'table app.advisor_loose_parents',
            'unique index app.advisor_loose_parents_id_key does not lead with restaurant_id'
        ),
        (
            'table app.advisor_loose_parents',
            'unique index app.advisor_loose_parents_lower_code does not lead with restaurant_id'
        ),
        ('table queue.advisor_no_pk', 'no primary key')$$,
    'The tenant key rule lists exactly the missing primary key and the primary key, unique '
    || 'constraints and unique expression index that do not lead with restaurant_id.'
);

select bag_eq(
    'select * from tenant_foreign_key_violations',
    $$values
        (
            'constraint advisor_crossed_fkey on table app.advisor_crossed_children',
            'table app.advisor_parents'
        ),
        (
            'constraint advisor_loose_children_parent_id_fkey on table '
            || 'app.advisor_loose_children',
            'table app.advisor_loose_parents'
        ),
        (
            'constraint advisor_parted_children_parent_id_fkey on table '
            || 'app.advisor_parted_children',
            'table app.advisor_loose_parents'
        )$$,
    'The tenant foreign key rule lists exactly the foreign keys that omit restaurant_id or '
    || 'match it to another column; keys to tables without restaurant_id are not its concern.'
);

-- Dead exemptions: a table that does not exist, a table without restaurant_id, an index
-- that leads with restaurant_id already, an index that does not exist.
insert into key_rule_exempt_tables (relation, reason) values
('app.advisor_gone', 'test'),
('app.advisor_globals', 'test');
insert into global_unique_indexes (index_name, reason) values
('app.advisor_parents_restaurant_id_name_key', 'test'),
('app.advisor_gone_key', 'test');

select bag_eq(
    'select * from key_rule_exemptions_stale',
    $$values
        ('app.advisor_gone'),
        ('app.advisor_globals'),
        ('app.advisor_parents_restaurant_id_name_key'),
        ('app.advisor_gone_key')$$,
    'The dead-exemption check lists exactly the exemptions that no longer match anything.'
);

select * from finish();
rollback;
