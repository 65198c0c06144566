create or replace function app_private.partition_bounds(parent regclass)
returns table (partition regclass, from_at timestamptz, to_at timestamptz, is_default boolean)
language sql
stable
set search_path = ''
as $$
    -- Range bounds as PostgreSQL prints them: FOR VALUES FROM ('…') TO ('…'), or DEFAULT.
    -- MINVALUE and MAXVALUE bounds read as null (such a partition is never "a month").
    select
        c.oid::regclass,
        (b.m)[1]::timestamptz,
        (b.m)[2]::timestamptz,
        pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'
    from pg_catalog.pg_inherits as i
    inner join pg_catalog.pg_class as c on i.inhrelid = c.oid
    cross join lateral (
        select pg_catalog.regexp_match(
            pg_catalog.pg_get_expr(c.relpartbound, c.oid),
            '^FOR VALUES FROM \(''([^'']*)''\) TO \(''([^'']*)''\)$'
        ) as m
    ) as b
    where i.inhparent = partition_bounds.parent
$$;
comment on function app_private.partition_bounds(regclass) is
'The partitions of a range-partitioned table with their bounds as timestamps (DEFAULT flagged).';
revoke all on function app_private.partition_bounds(regclass) from public;
