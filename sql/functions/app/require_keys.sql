create or replace function app.require_keys(body jsonb, allowed text[])
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_unknown text [];
begin
    if pg_catalog.jsonb_typeof(body) is distinct from 'object' then
        raise exception using errcode = 'BR422', message = 'Expected a JSON object.',
            hint = 'validation_failed';
    end if;
    select array_agg(k order by k) into v_unknown
    from pg_catalog.jsonb_object_keys(body) as k
    where k <> all(allowed);
    if v_unknown is not null then
        raise exception using errcode = 'BR422',
            message = pg_catalog.format('Unknown field(s): %s.', pg_catalog.array_to_string(v_unknown, ', ')),
            hint = 'validation_failed';
    end if;
end;
$$;
comment on function app.require_keys(jsonb, text[]) is
'Refuses a body with fields the operation does not know (a typo must not pass silently).';
revoke all on function app.require_keys(jsonb, text[]) from public;
grant execute on function app.require_keys(jsonb, text[]) to anon, customer, staff, platform;
