create or replace function app_private.job_setting(name text)
returns interval
language plpgsql
stable
set search_path = ''
as $$
declare
    v_value interval;
begin
    select s.value into v_value from app_private.job_settings as s where s.name = job_setting.name;
    if v_value is null then
        -- A missing row is a deployment error: fail the job loudly rather than guess.
        raise exception using errcode = 'BR422',
            message = pg_catalog.format('app_private.job_settings has no row %L.', name),
            hint = 'validation_failed';
    end if;
    return v_value;
end;
$$;
comment on function app_private.job_setting(text) is
'The value of one row of app_private.job_settings; a missing row is an error.';
revoke all on function app_private.job_setting(text) from public;
