create or replace function app_private.claims_reach(branch_id uuid, session_id uuid)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
    -- For SECURITY DEFINER code (which bypasses RLS): what the select policies of orders
    -- allow, in one place. A guest reaches their own table session; staff the branches in
    -- their scope; anyone else nothing. The restaurant is checked by the caller.
    return (
        select coalesce(case auth.claims() ->> 'role'
            when 'customer' then claims_reach.session_id = auth.session_id()
            when 'staff' then auth.branch_scope() is null or claims_reach.branch_id = any(auth.branch_scope())
            else false
        end, false)
    );
end;
$$;
comment on function app_private.claims_reach(uuid, uuid) is
'Whether the request''s claims reach a branch''s table session (guest: own session; staff: scope).';
revoke all on function app_private.claims_reach(uuid, uuid) from public;
