create or replace function app_private.detach_all_old_partitions()
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_table record;
    v_count integer := 0;
begin
    for v_table in
        select pg_catalog.to_regclass(r.table_name) as parent, r.keep
        from app_private.retention as r
        where pg_catalog.to_regclass(r.table_name) is not null
        order by r.table_name
    loop
        v_count := v_count + app_private.detach_old_partitions(v_table.parent, v_table.keep);
    end loop;
    return v_count;
end;
$$;
comment on function app_private.detach_all_old_partitions() is
'pg_cron job: moves partitions past the retention of app_private.retention into archive.';
revoke all on function app_private.detach_all_old_partitions() from public;
