create or replace function app.require_manager(refusal text)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
    -- The permission check of owner-and-manager operations, after the object was found: RLS
    -- already made another tenant's object a 404, so a known caller without the role is 403.
    if auth.app_role() is null or auth.app_role() not in ('owner', 'manager') then
        raise exception using errcode = 'BR403', message = refusal, hint = 'forbidden';
    end if;
end;
$$;
comment on function app.require_manager(text) is
'Refuses (403, forbidden, with the caller''s sentence) anyone but an owner or a manager.';
revoke all on function app.require_manager(text) from public;
grant execute on function app.require_manager(text) to staff, customer, platform;
