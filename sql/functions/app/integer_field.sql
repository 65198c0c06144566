create or replace function app.integer_field(
    body jsonb, key text, min_value integer, max_value integer, required boolean default false
)
returns integer
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_value jsonb := body -> integer_field.key;
    v_number numeric;
begin
    if v_value is null or v_value = 'null'::jsonb then
        if required then
            raise exception using errcode = 'BR422',
                message = pg_catalog.format('%s is required.', integer_field.key),
                hint = 'validation_failed';
        end if;
        return null;
    end if;
    if pg_catalog.jsonb_typeof(v_value) = 'number' then
        v_number := v_value::numeric;
    end if;
    if v_number is null
        or v_number <> pg_catalog.trunc(v_number)
        or v_number not between min_value and max_value then
        raise exception using errcode = 'BR422',
            message = pg_catalog.format(
                '%s must be a whole number from %s to %s.', integer_field.key, min_value, max_value
            ),
            hint = 'validation_failed';
    end if;
    return v_number::integer;
end;
$$;
comment on function app.integer_field(jsonb, text, integer, integer, boolean) is
'A whole-number field of a request body, checked (present when required, within its range).';
revoke all on function app.integer_field(jsonb, text, integer, integer, boolean) from public;
grant execute on function app.integer_field(jsonb, text, integer, integer, boolean)
to staff, platform, customer;
