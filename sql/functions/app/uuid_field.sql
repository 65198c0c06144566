create or replace function app.uuid_field(body jsonb, key text, required boolean default false)
returns uuid
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_value jsonb := body -> uuid_field.key;
begin
    if v_value is null or v_value = 'null'::jsonb then
        if required then
            raise exception using errcode = 'BR422',
                message = pg_catalog.format('%s is required.', uuid_field.key),
                hint = 'validation_failed';
        end if;
        return null;
    end if;
    if pg_catalog.jsonb_typeof(v_value) <> 'string'
        or v_value #>> '{}' !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
        raise exception using errcode = 'BR422',
            message = pg_catalog.format('%s must be an id.', uuid_field.key),
            hint = 'validation_failed';
    end if;
    return (v_value #>> '{}')::uuid;
end;
$$;
comment on function app.uuid_field(jsonb, text, boolean) is
'An id field of a request body, checked (present when required, a UUID string).';
revoke all on function app.uuid_field(jsonb, text, boolean) from public;
grant execute on function app.uuid_field(jsonb, text, boolean) to staff, platform, customer;
