create or replace function api.set_item_availability(branch_id uuid, item_id uuid, available boolean)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_branch app.branches;
begin
    -- RLS on branches narrows to the caller's branch scope: a kitchen screen sees its branch only.
    select b.* into v_branch
    from app.branches as b
    where b.id = set_item_availability.branch_id and b.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Branch not found.',
            hint = 'not_found';
    end if;
    perform 1 from app.items as i
    where
        i.restaurant_id = v_branch.restaurant_id
        and i.id = set_item_availability.item_id
        and i.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Item not found.', hint = 'not_found';
    end if;
    if set_item_availability.available is null then
        raise exception using errcode = 'BR422', message = 'available must be true or false.',
            hint = 'validation_failed';
    end if;
    -- Any staff member of the branch may 86 an item (the kitchen knows first). Saying what is
    -- already so writes nothing, so the cached menu and its ETag stay as they are (no row
    -- already means available).
    if not set_item_availability.available or exists (
        select 1 from app.branch_item_availability as a
        where
            a.restaurant_id = v_branch.restaurant_id
            and a.branch_id = v_branch.id
            and a.item_id = set_item_availability.item_id
    ) then
        insert into app.branch_item_availability as a (
            restaurant_id, branch_id, item_id, available
        )
        values (
            v_branch.restaurant_id, v_branch.id, set_item_availability.item_id,
            set_item_availability.available
        )
        on conflict on constraint branch_item_availability_pkey do update
            set available = excluded.available, updated_at = pg_catalog.now()
            where a.available is distinct from excluded.available;
    end if;
    return pg_catalog.jsonb_build_object(
        'branch_id', v_branch.id,
        'item_id', set_item_availability.item_id,
        'available', set_item_availability.available
    );
end;
$$;
comment on function api.set_item_availability(uuid, uuid, boolean) is
'Mark an item sold out (86) or back at one branch (staff of that branch, kitchen too).';
revoke all on function api.set_item_availability(uuid, uuid, boolean) from public;
grant execute on function api.set_item_availability(uuid, uuid, boolean) to staff;
