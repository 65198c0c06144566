create or replace function app_private.order_actor()
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
    -- Who is acting, in the terms of app_private.order_transitions.
    return (
        select case
            when auth.claims() ->> 'role' = 'customer' then 'customer'
            when auth.claims() ->> 'role' = 'staff' and auth.app_role() in ('owner', 'manager')
                then 'manager'
            when auth.claims() ->> 'role' = 'staff' then 'staff'
        end
    );
end;
$$;
comment on function app_private.order_actor() is
'customer, manager (owner or manager), staff, or null: the actor kinds of order transitions.';
revoke all on function app_private.order_actor() from public;
