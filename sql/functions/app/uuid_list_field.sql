create or replace function app.uuid_list_field(body jsonb, key text)
returns uuid[]
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_value jsonb := body -> uuid_list_field.key;
begin
    if v_value is null or v_value = 'null'::jsonb then
        return null;
    end if;
    if pg_catalog.jsonb_typeof(v_value) <> 'array' or exists (
        select 1
        from pg_catalog.jsonb_array_elements(v_value) as e (item)
        where
            pg_catalog.jsonb_typeof(e.item) <> 'string'
            or e.item #>> '{}' !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    ) then
        raise exception using errcode = 'BR422',
            message = pg_catalog.format('%s must be a list of ids.', uuid_list_field.key),
            hint = 'validation_failed';
    end if;
    return array(
        select distinct (e.item #>> '{}')::uuid
        from pg_catalog.jsonb_array_elements(v_value) as e (item)
        order by 1
    );
end;
$$;
comment on function app.uuid_list_field(jsonb, text) is
'A list-of-ids field of a request body, checked and de-duplicated; null when absent.';
revoke all on function app.uuid_list_field(jsonb, text) from public;
grant execute on function app.uuid_list_field(jsonb, text) to staff, platform, customer;
