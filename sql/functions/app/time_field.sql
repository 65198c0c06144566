create or replace function app.time_field(body jsonb, key text)
returns time
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_value jsonb := body -> time_field.key;
begin
    if v_value is null or v_value = 'null'::jsonb then
        return null;
    end if;
    -- A time of day on the wall clock of the branch: "07:00" or "07:00:00", never a zone.
    if pg_catalog.jsonb_typeof(v_value) <> 'string'
        or v_value #>> '{}' !~ '^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$' then
        raise exception using errcode = 'BR422',
            message = pg_catalog.format(
                '%s must be a time of day like "07:00" (24-hour clock).', time_field.key
            ),
            hint = 'validation_failed';
    end if;
    return (v_value #>> '{}')::time;
end;
$$;
comment on function app.time_field(jsonb, text) is
'A time-of-day field of a request body ("HH:MM" or "HH:MM:SS"), checked; null when absent.';
revoke all on function app.time_field(jsonb, text) from public;
grant execute on function app.time_field(jsonb, text) to staff, platform, customer;
