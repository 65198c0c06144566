create or replace function app_private.create_partitions(
    parent regclass, months_ahead integer default 3
)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_schema text;
    v_name text;
    v_key text;
    v_default regclass;
    v_month timestamptz;
    v_partition text;
    v_moved bigint;
    v_created integer := 0;
begin
    -- Monthly partitions (UTC months) from the current one to months_ahead ahead, plus any month
    -- that has rows waiting in the default partition. Idempotent: a month already covered by a
    -- partition is left alone. Rows of a new month found in the default partition are MOVED
    -- into the new partition, in this transaction, so the default ends up empty and the
    -- partition can be created (PostgreSQL refuses otherwise).
    if months_ahead is null or months_ahead not between 0 and 24 then
        raise exception using errcode = 'BR422', message = 'months_ahead must be from 0 to 24.',
            hint = 'validation_failed';
    end if;
    select n.nspname, c.relname, a.attname
    into v_schema, v_name, v_key
    from pg_catalog.pg_class as c
    inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
    inner join pg_catalog.pg_partitioned_table as p on c.oid = p.partrelid
    inner join pg_catalog.pg_attribute as a
        on a.attrelid = c.oid and a.attnum = p.partattrs[0]
    where c.oid = create_partitions.parent
        and p.partstrat = 'r'
        and p.partnatts = 1
        and a.atttypid in ('pg_catalog.timestamptz'::regtype, 'pg_catalog.date'::regtype);
    if not found then
        raise exception using errcode = 'BR422',
            message = pg_catalog.format(
                '%s is not partitioned by range on one timestamptz or date column.', parent
            ),
            hint = 'validation_failed';
    end if;
    select b.partition into v_default
    from app_private.partition_bounds(parent) as b
    where b.is_default;
    -- A busy table is not worth waiting for: the job fails and runs again tomorrow.
    perform pg_catalog.set_config('lock_timeout', '5s', true);
    -- No row may enter the default partition while we look at it and move rows out of it.
    if v_default is not null then
        execute pg_catalog.format('lock table %s in share row exclusive mode', v_default);
    end if;

    for v_month in
        select m.month
        from pg_catalog.generate_series(
            pg_catalog.date_trunc('month', pg_catalog.now(), 'UTC'),
            pg_catalog.date_trunc('month', pg_catalog.now(), 'UTC')
            + pg_catalog.make_interval(months => months_ahead),
            interval '1 month'
        ) as m (month)
        union
        select x.month
        from app_private.default_partition_months(parent) as x (month)
        order by 1
    loop
        continue when exists (
            select 1 from app_private.partition_bounds(parent) as b
            where b.from_at < v_month + interval '1 month' and b.to_at > v_month
        );
        v_partition := v_name || '_' || pg_catalog.to_char(v_month at time zone 'UTC', 'YYYYMM');
        -- Built apart, then attached: ATTACH takes a lock that lets the table be read and
        -- written meanwhile (CREATE ... PARTITION OF would block it). Rows of that month found
        -- in the default partition are moved first; the default's row triggers (an append-only
        -- guard, say) are off only for that move: the rows are moved, not changed.
        execute pg_catalog.format(
            'create table %I.%I (like %s including defaults including constraints '
            'including storage including comments)',
            v_schema, v_partition, parent
        );
        v_moved := 0;
        if v_default is not null then
            execute pg_catalog.format(
                'insert into %I.%I select * from %s where %I >= $1 and %I < $2',
                v_schema, v_partition, v_default, v_key, v_key
            ) using v_month, v_month + interval '1 month';
            get diagnostics v_moved = row_count;
        end if;
        if v_moved > 0 then
            execute pg_catalog.format('alter table %s disable trigger user', v_default);
            execute pg_catalog.format(
                'delete from %s where %I >= $1 and %I < $2', v_default, v_key, v_key
            ) using v_month, v_month + interval '1 month';
            execute pg_catalog.format('alter table %s enable trigger user', v_default);
            raise notice 'create_partitions: moved % row(s) of % from % into %.%',
                v_moved, pg_catalog.to_char(v_month at time zone 'UTC', 'YYYY-MM'), v_default,
                v_schema, v_partition;
        end if;
        execute pg_catalog.format(
            'alter table %s attach partition %I.%I for values from (%L) to (%L)',
            parent, v_schema, v_partition, v_month, v_month + interval '1 month'
        );
        v_created := v_created + 1;
    end loop;
    return v_created;
end;
$$;
comment on function app_private.create_partitions(regclass, integer) is
'Creates the monthly partitions of a table up to months_ahead ahead, moving rows out of DEFAULT.';
revoke all on function app_private.create_partitions(regclass, integer) from public;
