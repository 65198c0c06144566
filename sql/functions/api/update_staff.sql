create or replace function api.update_staff(staff_id uuid, patch jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_caller text := (select auth.app_role());
    v_scope uuid[] := (select auth.branch_scope());
    v_member app.memberships;
    v_name text;
    v_role text;
    v_pin text;
    v_branch_ids uuid[];
begin
    perform app.require_keys(patch, array['name', 'role', 'pin', 'branch_ids']);
    select m.* into v_member
    from app.memberships as m
    where m.id = update_staff.staff_id and m.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Staff member not found.',
            hint = 'not_found';
    end if;
    if v_caller is null or v_caller not in ('owner', 'manager')
        or (v_member.role = 'owner' and v_caller <> 'owner') then
        raise exception using errcode = 'BR403',
            message = 'Only owners and managers edit staff, and only an owner edits an owner.',
            hint = 'forbidden';
    end if;

    v_name := app.text_field(patch, 'name', 120, patch ? 'name');
    v_role := app.text_field(patch, 'role', 20, patch ? 'role');
    if v_role not in ('owner', 'manager', 'waiter', 'kitchen') then
        raise exception using errcode = 'BR422',
            message = 'role must be one of owner, manager, waiter, kitchen.',
            hint = 'validation_failed';
    end if;
    if v_role = 'owner' and v_caller <> 'owner' then
        raise exception using errcode = 'BR403', message = 'Only an owner makes someone an owner.',
            hint = 'forbidden';
    end if;
    v_pin := app.text_field(patch, 'pin', 100);  -- null removes the PIN
    if v_pin !~ '^[0-9]{4,8}$' then
        raise exception using errcode = 'BR422', message = 'pin must be 4 to 8 digits.',
            hint = 'validation_failed';
    end if;
    if patch ? 'branch_ids' then
        v_branch_ids := coalesce(app.uuid_list_field(patch, 'branch_ids'), '{}');
        -- Branches the caller cannot see (RLS: other tenant, outside their scope) are unknown.
        if exists (
            select 1
            from pg_catalog.unnest(v_branch_ids) as wanted (id)
            where not exists (
                select 1 from app.branches as b
                where
                    b.restaurant_id = v_member.restaurant_id
                    and b.id = wanted.id
                    and b.deleted_at is null
            )
        ) then
            raise exception using errcode = 'BR422',
                message = 'branch_ids names an unknown branch.', hint = 'validation_failed';
        end if;
        if v_scope is not null and pg_catalog.cardinality(v_branch_ids) = 0 then
            raise exception using errcode = 'BR403',
                message = 'A branch manager cannot give anyone the whole restaurant.',
                hint = 'forbidden';
        end if;
    end if;
    if v_member.role = 'owner' and v_role is distinct from 'owner' and patch ? 'role' and not exists (
        select 1 from app.memberships as o
        where
            o.restaurant_id = v_member.restaurant_id
            and o.role = 'owner'
            and o.deleted_at is null
            and o.id <> v_member.id
    ) then
        raise exception using errcode = 'BR409', message = 'A restaurant keeps at least one owner.',
            hint = 'last_owner';
    end if;

    if v_name is not null then
        update app.users as u set name = v_name where u.id = v_member.user_id;
        if not found then
            raise exception using errcode = 'BR403', message = 'This person cannot be renamed.',
                hint = 'forbidden';
        end if;
    end if;
    if v_role is not null then
        update app.memberships as m
        set role = v_role
        where m.restaurant_id = v_member.restaurant_id and m.id = v_member.id
        returning m.* into v_member;
        if not found then
            raise exception using errcode = 'BR403', message = 'This role cannot be changed.',
                hint = 'forbidden';
        end if;
    end if;
    if v_branch_ids is not null then
        delete from app.membership_branches as mb
        where mb.restaurant_id = v_member.restaurant_id and mb.membership_id = v_member.id;
        insert into app.membership_branches (restaurant_id, membership_id, branch_id)
        select v_member.restaurant_id, v_member.id, wanted.id
        from pg_catalog.unnest(v_branch_ids) as wanted (id);
    end if;
    if patch ? 'pin' then
        perform app.set_staff_pin(v_member.id, v_pin);
    end if;
    return app.staff_json(v_member);
end;
$$;
comment on function api.update_staff(uuid, jsonb) is
'Change a staff member''s name, role, PIN or branches (owner, manager).';
revoke all on function api.update_staff(uuid, jsonb) from public;
grant execute on function api.update_staff(uuid, jsonb) to staff;
