create or replace function app_private.detach_old_partitions(parent regclass, keep interval)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_partition record;
    v_archived text;
    v_count integer := 0;
begin
    -- A partition whose whole range ends before now() - keep is detached from its table and
    -- moved into the archive schema, renamed <schema>_<partition> so names never collide.
    -- Its rows are untouched: a DBA dumps and drops archive tables at leisure. The default
    -- partition is never detached. DETACH (not CONCURRENTLY: a cron job runs in a transaction)
    -- briefly locks the table, so a busy table makes the job fail and retry the next day.
    if keep is null or keep < interval '1 month' then
        raise exception using errcode = 'BR422', message = 'keep must be at least one month.',
            hint = 'validation_failed';
    end if;
    perform pg_catalog.set_config('lock_timeout', '5s', true);
    for v_partition in
        select
            b.partition,
            n.nspname as schema_name,
            c.relname
        from app_private.partition_bounds(parent) as b
        inner join pg_catalog.pg_class as c on b.partition = c.oid
        inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
        where not b.is_default and b.to_at <= pg_catalog.now() - keep
        order by b.from_at
    loop
        v_archived := v_partition.schema_name || '_' || v_partition.relname;
        if pg_catalog.to_regclass(pg_catalog.format('archive.%I', v_archived)) is not null then
            raise exception using errcode = 'BR409',
                message = pg_catalog.format(
                    'archive.%s exists already: %s was not detached.', v_archived,
                    v_partition.partition
                ),
                hint = 'archive_name_taken';
        end if;
        execute pg_catalog.format('alter table %s detach partition %s', parent, v_partition.partition);
        execute pg_catalog.format('alter table %s set schema archive', v_partition.partition);
        execute pg_catalog.format(
            'alter table archive.%I rename to %I', v_partition.relname, v_archived
        );
        execute pg_catalog.format(
            'comment on table archive.%I is %L', v_archived,
            pg_catalog.format(
                'Partition %s.%s of %s, detached %s (retention %s).', v_partition.schema_name,
                v_partition.relname, parent, pg_catalog.now()::date, keep
            )
        );
        v_count := v_count + 1;
    end loop;
    return v_count;
end;
$$;
comment on function app_private.detach_old_partitions(regclass, interval) is
'Detaches the partitions wholly older than keep and moves them into the archive schema.';
revoke all on function app_private.detach_old_partitions(regclass, interval) from public;
