-- Advisor rules on functions: SECURITY DEFINER only from an allowlist and with a pinned
-- search_path; every function of ours pins `set search_path = ''`.
begin;
select plan(6);
set local search_path = public;

-- The SECURITY DEFINER allowlist: add a function here, with the reason, when it lands.
create temporary table security_definer_allowlist (fn text primary key, reason text not null);
insert into security_definer_allowlist (fn, reason) values
(
    'meta.applied_checksums()',
    'the API login role checks migration readiness without any table right'
);

-- Functions and procedures of ours (not members of an extension), named by signature.
create temporary view our_functions as
select
    p.oid,
    p.oid::regprocedure::text as fn,
    p.prosecdef,
    p.proconfig
from pg_catalog.pg_proc as p
inner join pg_catalog.pg_namespace as n on p.pronamespace = n.oid
where
    n.nspname in ('app', 'app_private', 'api', 'auth', 'queue', 'audit', 'report', 'meta')
    and p.prokind in ('f', 'p')
    and not exists (
        select 1 from pg_catalog.pg_depend as d
        where
            d.classid = 'pg_catalog.pg_proc'::regclass
            and d.objid = p.oid
            and d.deptype = 'e'
    );

create temporary view security_definer_violations as
select
    f.fn,
    v.problem
from our_functions as f
cross join
    lateral (
        values
        (
            'not in the allowlist',
            not exists (
                select 1 from security_definer_allowlist as a
                where a.fn = f.fn
            )
        ),
        (
            'search_path not pinned',
            not exists (
                select 1 from pg_catalog.unnest(f.proconfig) as c (setting)
                where c.setting like 'search\_path=%'
            )
        )
    ) as v (problem, failed)
where f.prosecdef and v.failed;

create temporary view security_definer_allowlist_stale as
select a.fn
from security_definer_allowlist as a
where not exists (
    select 1 from our_functions as f
    where f.fn = a.fn and f.prosecdef
);

create temporary view search_path_violations as
select
    f.fn,
    coalesce(
        (
            select c.setting from pg_catalog.unnest(f.proconfig) as c (setting)
            where c.setting like 'search\_path=%'
        ),
        'search_path not set'
    ) collate pg_catalog."default" as setting
from our_functions as f
where not coalesce('search_path=""' = any(f.proconfig), false);

select is_empty(
    'select * from security_definer_violations',
    'Every SECURITY DEFINER function of ours is allowlisted and pins its search_path.'
);

select is_empty(
    'select * from security_definer_allowlist_stale',
    'Every allowlisted function exists and is SECURITY DEFINER: the allowlist has no dead entry.'
);

select is_empty(
    'select * from search_path_violations',
    'Every function and procedure of ours pins set search_path = ''''.'
);

-- The rules must be able to fail.
create function app.advisor_unpinned() returns integer
language sql immutable
as $$ select 1 $$;

create function app.advisor_public_path() returns integer
language sql immutable
set search_path = public
as $$ select 1 $$;

create procedure queue.advisor_unpinned_proc()
language sql
as $$ select 1 $$;

create function api.advisor_definer(restaurant_id uuid) returns integer
language sql stable security definer
set search_path = ''
as $$ select 1 $$;

create function app_private.advisor_definer_unpinned() returns integer
language sql stable security definer
as $$ select 1 $$;

create function app.advisor_good() returns integer
language sql immutable
set search_path = ''
as $$ select 1 $$;

create function public.advisor_not_ours() returns integer
language sql immutable security definer
as $$ select 1 $$;

select results_eq(
    'select * from security_definer_violations order by fn, problem',
    $$values
        ('api.advisor_definer(uuid)', 'not in the allowlist'),
        ('app_private.advisor_definer_unpinned()', 'not in the allowlist'),
        ('app_private.advisor_definer_unpinned()', 'search_path not pinned')$$,
    'The SECURITY DEFINER rule lists exactly the definer functions of ours that are not '
    || 'allowlisted or do not pin search_path.'
);

select results_eq(
    'select * from search_path_violations order by fn',
    $$values
        ('app.advisor_public_path()', 'search_path=public'),
        ('app.advisor_unpinned()', 'search_path not set'),
        ('app_private.advisor_definer_unpinned()', 'search_path not set'),
        ('queue.advisor_unpinned_proc()', 'search_path not set')$$,
    'The search_path rule lists exactly the functions and procedures of ours that do not '
    || 'pin an empty search_path.'
);

alter function meta.applied_checksums() security invoker;

select results_eq(
    'select * from security_definer_allowlist_stale',
    $$values ('meta.applied_checksums()')$$,
    'An allowlisted function that is no longer SECURITY DEFINER is reported as a dead entry.'
);

select * from finish();
rollback;
