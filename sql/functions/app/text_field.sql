create or replace function app.text_field(
    body jsonb, key text, max_length integer, required boolean default false
)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_value jsonb := body -> text_field.key;
begin
    if v_value is null or v_value = 'null'::jsonb then
        if required then
            raise exception using errcode = 'BR422',
                message = pg_catalog.format('%s is required.', text_field.key),
                hint = 'validation_failed';
        end if;
        return null;
    end if;
    if pg_catalog.jsonb_typeof(v_value) <> 'string'
        or pg_catalog.btrim(v_value #>> '{}') = ''
        or pg_catalog.length(v_value #>> '{}') > max_length then
        raise exception using errcode = 'BR422',
            message = pg_catalog.format(
                '%s must be a non-blank string of at most %s characters.', text_field.key, max_length
            ),
            hint = 'validation_failed';
    end if;
    return v_value #>> '{}';
end;
$$;
comment on function app.text_field(jsonb, text, integer, boolean) is
'A string field of a request body, checked (present when required, non-blank, not too long).';
revoke all on function app.text_field(jsonb, text, integer, boolean) from public;
grant execute on function app.text_field(jsonb, text, integer, boolean) to staff, platform, customer;
