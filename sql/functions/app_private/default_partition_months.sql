create or replace function app_private.default_partition_months(parent regclass)
returns setof timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
    v_default regclass;
    v_key text;
begin
    -- The UTC months that have rows in the default partition (normally none).
    select b.partition into v_default
    from app_private.partition_bounds(parent) as b
    where b.is_default;
    if v_default is null then
        return;
    end if;
    select a.attname into strict v_key
    from pg_catalog.pg_partitioned_table as p
    inner join pg_catalog.pg_attribute as a
        on a.attrelid = p.partrelid and a.attnum = p.partattrs[0]
    where p.partrelid = default_partition_months.parent;
    return query execute pg_catalog.format(
        'select distinct pg_catalog.date_trunc(''month'', %I::timestamptz, ''UTC'') from %s '
        'where %I is not null',
        v_key, v_default, v_key
    );
end;
$$;
comment on function app_private.default_partition_months(regclass) is
'The months that have rows waiting in the DEFAULT partition of a monthly partitioned table.';
revoke all on function app_private.default_partition_months(regclass) from public;
