create or replace function api.delete_branch(branch_id uuid)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_branch app.branches;
begin
    select b.* into v_branch
    from app.branches as b
    where b.id = delete_branch.branch_id and b.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Branch not found.',
            hint = 'not_found';
    end if;
    if (select auth.app_role()) is distinct from 'owner' then
        raise exception using errcode = 'BR403', message = 'Only the owner deletes a branch.',
            hint = 'forbidden';
    end if;
    -- Soft delete: the row stays for history and can be restored.
    update app.branches as b
    set deleted_at = pg_catalog.now()
    where b.restaurant_id = v_branch.restaurant_id and b.id = v_branch.id;
    if not found then
        raise exception using errcode = 'BR403', message = 'Only the owner deletes a branch.',
            hint = 'forbidden';
    end if;
end;
$$;
comment on function api.delete_branch(uuid) is 'Soft-delete a branch; it can be restored (owner).';
revoke all on function api.delete_branch(uuid) from public;
grant execute on function api.delete_branch(uuid) to staff;
