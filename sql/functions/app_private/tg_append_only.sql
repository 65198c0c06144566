create or replace function app_private.tg_append_only()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
    raise exception using errcode = 'BR403',
        message = pg_catalog.format('%s is append-only.', tg_table_schema || '.' || tg_table_name),
        hint = 'append_only';
end;
$$;
comment on function app_private.tg_append_only() is
'Refuses UPDATE, DELETE and TRUNCATE on append-only tables, even for their owner.';
revoke all on function app_private.tg_append_only() from public;
