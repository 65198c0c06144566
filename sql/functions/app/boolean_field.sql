create or replace function app.boolean_field(body jsonb, key text, required boolean default false)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_value jsonb := body -> boolean_field.key;
begin
    if v_value is null or v_value = 'null'::jsonb then
        if required then
            raise exception using errcode = 'BR422',
                message = pg_catalog.format('%s must be true or false.', boolean_field.key),
                hint = 'validation_failed';
        end if;
        return null;
    end if;
    if pg_catalog.jsonb_typeof(v_value) <> 'boolean' then
        raise exception using errcode = 'BR422',
            message = pg_catalog.format('%s must be true or false.', boolean_field.key),
            hint = 'validation_failed';
    end if;
    return v_value::boolean;
end;
$$;
comment on function app.boolean_field(jsonb, text, boolean) is
'A true/false field of a request body, checked (present when required, a JSON boolean).';
revoke all on function app.boolean_field(jsonb, text, boolean) from public;
grant execute on function app.boolean_field(jsonb, text, boolean) to staff, platform, customer;
