-- Runs plpgsql_check over every PL/pgSQL function of ours; any error fails the gate.
-- Trigger functions are checked against each table that uses them.
create temporary table plpgsql_findings as
with ours as (
    select p.oid, p.prorettype
    from pg_catalog.pg_proc as p
    inner join pg_catalog.pg_namespace as n on p.pronamespace = n.oid
    inner join pg_catalog.pg_language as l on p.prolang = l.oid
    where
        l.lanname = 'plpgsql'
        and n.nspname in ('app', 'app_private', 'api', 'auth', 'queue', 'audit', 'report')
),

targets as (
    select
        ours.oid,
        0::oid as relid
    from ours
    where ours.prorettype <> 'pg_catalog.trigger'::regtype
    union all
    select distinct
        ours.oid,
        t.tgrelid
    from ours
    inner join pg_catalog.pg_trigger as t on ours.oid = t.tgfoid
)

select
    targets.oid::regprocedure as fn,
    c.level,
    c.message,
    c.lineno,
    c.statement
from targets
cross join lateral
    plpgsql_check_function_tb(
        targets.oid, targets.relid, fatal_errors => false
    ) as c;

select fn, level, lineno, message from plpgsql_findings order by level, fn::text;

do $$
declare
    v_errors integer;
begin
    select count(*) into v_errors from plpgsql_findings where level like '%error%';
    if v_errors > 0 then
        raise exception 'plpgsql_check found % error(s)', v_errors;
    end if;
    raise notice 'plpgsql_check: no errors';
end;
$$;
