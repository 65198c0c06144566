create or replace function app_private.create_all_partitions()
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_table record;
    v_count integer := 0;
begin
    -- Every table registered in app_private.retention that exists here (the orders or
    -- events tables may not exist yet in every database).
    for v_table in
        select pg_catalog.to_regclass(r.table_name) as parent, r.months_ahead
        from app_private.retention as r
        where pg_catalog.to_regclass(r.table_name) is not null
        order by r.table_name
    loop
        v_count := v_count + app_private.create_partitions(v_table.parent, v_table.months_ahead);
    end loop;
    return v_count;
end;
$$;
comment on function app_private.create_all_partitions() is
'pg_cron job: the next months'' partitions of every table in app_private.retention.';
revoke all on function app_private.create_all_partitions() from public;
