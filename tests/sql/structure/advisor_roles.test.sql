-- Advisor rules on roles (ARCHITECTURE §3): the roles requests and jobs run as own nothing,
-- so they can never bypass RLS as a table owner nor alter or drop anything; authenticator
-- logs in, inherits nothing and has no table right of its own; the request roles cannot log
-- in; none of them bypasses RLS, and neither they nor the owner role is a superuser.
begin;
select plan(4);
set local search_path = public;

create temporary view request_role_ownership as
with
request_roles as (
    select
        r.oid,
        r.rolname
    from pg_catalog.pg_roles as r
    where r.rolname in ('anon', 'customer', 'staff', 'platform', 'authenticator', 'worker')
),

owned (classid, objid, owner) as (
    -- indexes, TOAST tables and composite types follow their table or type
    select
        'pg_catalog.pg_class'::regclass,
        c.oid,
        c.relowner
    from pg_catalog.pg_class as c
    where c.relkind not in ('i', 'I', 't', 'c')
    union all
    select
        'pg_catalog.pg_proc'::regclass,
        p.oid,
        p.proowner
    from pg_catalog.pg_proc as p
    union all
    select
        'pg_catalog.pg_namespace'::regclass,
        n.oid,
        n.nspowner
    from pg_catalog.pg_namespace as n
    union all
    -- not row types nor array types: they follow their relation or element type
    select
        'pg_catalog.pg_type'::regclass,
        t.oid,
        t.typowner
    from pg_catalog.pg_type as t
    where
        not exists (
            select 1 from pg_catalog.pg_depend as d
            where
                d.classid = 'pg_catalog.pg_type'::regclass
                and d.objid = t.oid
                and d.deptype = 'i'
        )
    union all
    -- everything else a role can own, in this database or shared (databases, tablespaces)
    select
        s.classid::regclass,
        s.objid,
        s.refobjid
    from pg_catalog.pg_shdepend as s
    where
        s.deptype = 'o'
        and s.refclassid = 'pg_catalog.pg_authid'::regclass
        and s.dbid in (
            0,
            (
                select d.oid from pg_catalog.pg_database as d
                where d.datname = current_database()
            )
        )
)

select distinct
    r.rolname::text as owner,
    pg_catalog.pg_describe_object(o.classid, o.objid, 0) as object
from owned as o
inner join request_roles as r on o.owner = r.oid;

create temporary view role_violations as
with
expected (rolname) as (
    values
    ('anon'), ('customer'), ('staff'), ('platform'),
    ('authenticator'), ('worker'), ('brigade_owner')
)

select
    e.rolname as role,
    'missing' as problem
from expected as e
where
    not exists (
        select 1 from pg_catalog.pg_roles as r
        where r.rolname = e.rolname
    )
union all
select
    r.rolname::text as role,
    v.problem
from pg_catalog.pg_roles as r
cross join
    lateral (
        values
        ('superuser', r.rolsuper),
        -- the owner bypasses RLS on purpose: definer functions and jobs (ADR 0002, 0004)
        ('bypasses rls', r.rolbypassrls and r.rolname <> 'brigade_owner'),
        (
            'cannot log in',
            r.rolname = 'authenticator' and not r.rolcanlogin
        ),
        (
            'inherits the rights of its members',
            r.rolname = 'authenticator' and r.rolinherit
        ),
        (
            'can log in',
            r.rolname in ('anon', 'customer', 'staff', 'platform') and r.rolcanlogin
        )
    ) as v (problem, failed)
where
    r.rolname in (
        'anon', 'customer', 'staff', 'platform', 'authenticator', 'worker', 'brigade_owner'
    )
    and v.failed
union all
-- authenticator switches role per request; it holds no table or column right of its own
select
    'authenticator' as role,
    a.privilege_type || ' on '
    || pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, c.oid, 0) as problem
from pg_catalog.pg_class as c
inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
cross join lateral pg_catalog.aclexplode(c.relacl) as a
inner join pg_catalog.pg_roles as g on a.grantee = g.oid
where
    n.nspname in ('app', 'app_private', 'api', 'auth', 'queue', 'audit', 'report', 'meta')
    and g.rolname = 'authenticator'
union all
select
    'authenticator' as role,
    a.privilege_type || ' on '
    || pg_catalog.pg_describe_object(
        'pg_catalog.pg_class'::regclass, c.oid, att.attnum::integer
    ) as problem
from pg_catalog.pg_attribute as att
inner join pg_catalog.pg_class as c on att.attrelid = c.oid
inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
cross join lateral pg_catalog.aclexplode(att.attacl) as a
inner join pg_catalog.pg_roles as g on a.grantee = g.oid
where
    n.nspname in ('app', 'app_private', 'api', 'auth', 'queue', 'audit', 'report', 'meta')
    and g.rolname = 'authenticator';

select is_empty(
    'select * from request_role_ownership',
    'The request roles, authenticator and worker own nothing: no relation, function, schema, '
    || 'type or other object.'
);

select is_empty(
    'select * from role_violations',
    'authenticator is LOGIN NOINHERIT with no table right of its own; the request roles are '
    || 'NOLOGIN; none of them or worker bypasses RLS; none of them or brigade_owner is superuser.'
);

-- The ownership rule must be able to fail.
create table app.advisor_owned_by_anon (id integer);
alter table app.advisor_owned_by_anon owner to anon;

create function app.advisor_owned_by_worker() returns integer
language sql immutable
set search_path = ''
as $$ select 1 $$;
alter function app.advisor_owned_by_worker() owner to worker;

create schema advisor_owned_by_customer authorization customer;

create type app.advisor_owned_by_staff as enum ('a', 'b');
alter type app.advisor_owned_by_staff owner to staff;

create text search configuration app.advisor_owned_by_platform (copy = pg_catalog.simple);
alter text search configuration app.advisor_owned_by_platform owner to platform;

create view app.advisor_owned_by_authenticator as select 1 as one;
alter view app.advisor_owned_by_authenticator owner to authenticator;

create table app.advisor_owned_by_owner (id integer);
alter table app.advisor_owned_by_owner owner to brigade_owner;

select bag_eq(
    'select * from request_role_ownership',
    $$values
        ('anon', 'table app.advisor_owned_by_anon'),
        ('authenticator', 'view app.advisor_owned_by_authenticator'),
        ('customer', 'schema advisor_owned_by_customer'),
        ('platform', 'text search configuration app.advisor_owned_by_platform'),
        ('staff', 'type app.advisor_owned_by_staff'),
        ('worker', 'function app.advisor_owned_by_worker()')$$,
    'The ownership rule lists exactly the objects owned by a request role, authenticator or '
    || 'worker, once each (not their row or array types).'
);

-- The role rule must be able to fail. Role changes are transactional: rolled back below.
alter role authenticator nologin inherit bypassrls;
alter role anon login;
alter role customer bypassrls;
alter role platform superuser;
alter role brigade_owner superuser;
alter role worker rename to advisor_renamed_worker;

create table app.advisor_authenticator_rights (id integer, note text);
grant select on app.advisor_authenticator_rights to authenticator;
grant update (note) on app.advisor_authenticator_rights to authenticator;

select bag_eq(
    'select * from role_violations',
    $$values
        ('anon', 'can log in'),
        ('authenticator', 'SELECT on table app.advisor_authenticator_rights'),
        ('authenticator', 'UPDATE on column note of table app.advisor_authenticator_rights'),
        ('authenticator', 'bypasses rls'),
        ('authenticator', 'cannot log in'),
        ('authenticator', 'inherits the rights of its members'),
        ('brigade_owner', 'superuser'),
        ('customer', 'bypasses rls'),
        ('platform', 'superuser'),
        ('worker', 'missing')$$,
    'The role rule lists exactly each attribute out of line, each table right of '
    || 'authenticator and each missing role.'
);

select * from finish();
rollback;
