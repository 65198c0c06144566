create or replace function app_private.tg_touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
    new.updated_at := pg_catalog.now();
    return new;
end;
$$;
comment on function app_private.tg_touch_updated_at() is
'Keeps updated_at true without trusting callers to set it.';
revoke all on function app_private.tg_touch_updated_at() from public;
