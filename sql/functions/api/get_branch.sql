create or replace function api.get_branch(branch_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_branch app.branches;
begin
    select b.* into v_branch from app.branches as b where b.id = get_branch.branch_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Branch not found.',
            hint = 'not_found';
    end if;
    if (select auth.app_role()) is distinct from 'owner' then
        raise exception using errcode = 'BR403', message = 'Only the owner reads a branch here.',
            hint = 'forbidden';
    end if;
    return app.branch_json(v_branch);
end;
$$;
comment on function api.get_branch(uuid) is 'Read a branch, deleted or not (owner).';
revoke all on function api.get_branch(uuid) from public;
grant execute on function api.get_branch(uuid) to staff;
