-- Advisor rules on PUBLIC: nothing of ours is granted to PUBLIC (every role, present and
-- future), except USAGE on schema extensions; in particular no api function is executable
-- by PUBLIC. A null ACL means the built-in default, which for functions grants EXECUTE to
-- PUBLIC: acldefault() stands in for it, so a function nobody revoked is caught too.
begin;
select plan(4);
set local search_path = public;

create temporary view public_grants as
-- tables, views, sequences and the rest of pg_class
select
    pg_catalog.pg_describe_object('pg_catalog.pg_class'::regclass, c.oid, 0) as object,
    a.privilege_type as privilege
from pg_catalog.pg_class as c
inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
cross join
    lateral pg_catalog.aclexplode(
        coalesce(
            c.relacl,
            case
                when c.relkind = 'S' then pg_catalog.acldefault('s', c.relowner)
                else pg_catalog.acldefault('r', c.relowner)
            end
        )
    ) as a
where
    n.nspname in ('app', 'app_private', 'api', 'auth', 'queue', 'audit', 'report', 'meta')
    and a.grantee = 0
union all
-- columns (a null column ACL grants nothing)
select
    pg_catalog.pg_describe_object(
        'pg_catalog.pg_class'::regclass, c.oid, att.attnum::integer
    ) as object,
    a.privilege_type as privilege
from pg_catalog.pg_attribute as att
inner join pg_catalog.pg_class as c on att.attrelid = c.oid
inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
cross join lateral pg_catalog.aclexplode(att.attacl) as a
where
    n.nspname in ('app', 'app_private', 'api', 'auth', 'queue', 'audit', 'report', 'meta')
    and a.grantee = 0
union all
-- functions and procedures
select
    pg_catalog.pg_describe_object('pg_catalog.pg_proc'::regclass, p.oid, 0) as object,
    a.privilege_type as privilege
from pg_catalog.pg_proc as p
inner join pg_catalog.pg_namespace as n on p.pronamespace = n.oid
cross join
    lateral pg_catalog.aclexplode(
        coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))
    ) as a
where
    n.nspname in ('app', 'app_private', 'api', 'auth', 'queue', 'audit', 'report', 'meta')
    and a.grantee = 0
union all
-- the schemas themselves
select
    pg_catalog.pg_describe_object('pg_catalog.pg_namespace'::regclass, n.oid, 0) as object,
    a.privilege_type as privilege
from pg_catalog.pg_namespace as n
cross join
    lateral pg_catalog.aclexplode(
        coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner))
    ) as a
where
    n.nspname in (
        'app', 'app_private', 'api', 'auth', 'queue', 'audit', 'report', 'meta', 'extensions'
    )
    and a.grantee = 0
    and not (n.nspname = 'extensions' and a.privilege_type = 'USAGE');

create temporary view api_public_execute as
select pg_catalog.pg_describe_object('pg_catalog.pg_proc'::regclass, p.oid, 0) as function
from pg_catalog.pg_proc as p
inner join pg_catalog.pg_namespace as n on p.pronamespace = n.oid
where
    n.nspname = 'api'
    and exists (
        select 1
        from
            pg_catalog.aclexplode(
                coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))
            ) as a
        where a.grantee = 0 and a.privilege_type = 'EXECUTE'
    );

select is_empty(
    'select * from public_grants',
    'No table, column, sequence, function or schema of ours is granted to PUBLIC '
    || '(USAGE on schema extensions aside).'
);

select is_empty(
    'select * from api_public_execute',
    'No api function is executable by PUBLIC: each is granted to the roles that call it.'
);

-- The rules must be able to fail.
create table app.advisor_open (
    id integer generated always as identity,
    note text
);
grant select on app.advisor_open to public;
grant update (note) on app.advisor_open to public;

create table app.advisor_closed (id integer);
grant select on app.advisor_closed to staff;

create sequence queue.advisor_sequence;
grant usage on sequence queue.advisor_sequence to public;

-- Created by the superuser with no revoke: the ACL stays null, i.e. EXECUTE for PUBLIC.
create function app.advisor_never_revoked() returns integer
language sql immutable
set search_path = ''
as $$ select 1 $$;

create function api.advisor_never_revoked() returns integer
language sql immutable
set search_path = ''
as $$ select 1 $$;

-- Created by the owner: the default privileges of V0001 keep PUBLIC out, so only the
-- function granted back to PUBLIC by name must show up.
set local role brigade_owner;
create function api.advisor_granted_to_public() returns integer
language sql immutable
set search_path = ''
as $$ select 1 $$;
grant execute on function api.advisor_granted_to_public() to public;

create function api.advisor_granted_to_staff() returns integer
language sql immutable
set search_path = ''
as $$ select 1 $$;
grant execute on function api.advisor_granted_to_staff() to staff;
reset role;

grant usage on schema report to public;
grant create on schema extensions to public;

select bag_eq(
    'select * from public_grants',
    $$values
        ('column note of table app.advisor_open', 'UPDATE'),
        ('function api.advisor_granted_to_public()', 'EXECUTE'),
        ('function api.advisor_never_revoked()', 'EXECUTE'),
        ('function app.advisor_never_revoked()', 'EXECUTE'),
        ('schema extensions', 'CREATE'),
        ('schema report', 'USAGE'),
        ('sequence queue.advisor_sequence', 'USAGE'),
        ('table app.advisor_open', 'SELECT')$$,
    'The PUBLIC rule lists exactly the grants to PUBLIC, including the implicit EXECUTE of a '
    || 'function whose ACL was never set, and spares USAGE on extensions.'
);

select bag_eq(
    'select * from api_public_execute',
    $$values
        ('function api.advisor_granted_to_public()'),
        ('function api.advisor_never_revoked()')$$,
    'The api EXECUTE rule lists exactly the api functions PUBLIC may execute, granted or '
    || 'left at the default.'
);

select * from finish();
rollback;
