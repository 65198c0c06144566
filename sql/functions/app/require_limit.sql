create or replace function app.require_limit(lim integer)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
    if lim is null or lim not between 1 and 200 then
        raise exception using errcode = 'BR422', message = 'limit must be from 1 to 200.',
            hint = 'validation_failed';
    end if;
end;
$$;
comment on function app.require_limit(integer) is
'Refuses a page size outside 1..200, so no list can be asked for everything at once.';
revoke all on function app.require_limit(integer) from public;
grant execute on function app.require_limit(integer) to staff, platform, customer;
