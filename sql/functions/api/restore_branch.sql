create or replace function api.restore_branch(branch_id uuid)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_branch app.branches;
begin
    -- Only the owner sees deleted branches (RLS): anyone else gets 404 for one.
    select b.* into v_branch from app.branches as b where b.id = restore_branch.branch_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Branch not found.',
            hint = 'not_found';
    end if;
    if (select auth.app_role()) is distinct from 'owner' then
        raise exception using errcode = 'BR403', message = 'Only the owner restores a branch.',
            hint = 'forbidden';
    end if;
    if v_branch.deleted_at is null then
        return app.branch_json(v_branch);  -- already live: restoring twice is harmless
    end if;
    update app.branches as b
    set deleted_at = null
    where b.restaurant_id = v_branch.restaurant_id and b.id = v_branch.id
    returning b.* into v_branch;
    if not found then
        raise exception using errcode = 'BR403', message = 'Only the owner restores a branch.',
            hint = 'forbidden';
    end if;
    return app.branch_json(v_branch);
end;
$$;
comment on function api.restore_branch(uuid) is 'Undo the soft delete of a branch (owner).';
revoke all on function api.restore_branch(uuid) from public;
grant execute on function api.restore_branch(uuid) to staff;
