create or replace function api.create_staff(restaurant_id uuid, body jsonb)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_restaurant_id uuid := auth.restaurant_id();
    v_caller text := auth.app_role();
    v_scope uuid[] := auth.branch_scope();
    v_name text;
    v_role text;
    v_email text;
    v_password text;
    v_password_hash text;
    v_pin text;
    v_branch_ids uuid[];
    v_user_id uuid;
    v_new_user boolean := false;
    v_member app.memberships;
begin
    perform app.require_keys(body, array['email', 'name', 'role', 'pin', 'password', 'branch_ids']);
    -- Definer: it must find a user by email across tenants and write credentials. RLS is
    -- bypassed here, so the checks RLS would make are explicit, from the token's claims.
    if v_restaurant_id is null
        or v_restaurant_id is distinct from create_staff.restaurant_id
        or not exists (select 1 from app.restaurants as r where r.id = v_restaurant_id) then
        raise exception using errcode = 'BR404', message = 'Restaurant not found.',
            hint = 'not_found';
    end if;
    if v_caller is null or v_caller not in ('owner', 'manager') then
        raise exception using errcode = 'BR403', message = 'Only owners and managers add staff.',
            hint = 'forbidden';
    end if;

    v_name := app.text_field(body, 'name', 120, true);
    v_role := app.text_field(body, 'role', 20, true);
    if v_role not in ('owner', 'manager', 'waiter', 'kitchen') then
        raise exception using errcode = 'BR422',
            message = 'role must be one of owner, manager, waiter, kitchen.',
            hint = 'validation_failed';
    end if;
    if v_role = 'owner' and v_caller <> 'owner' then
        raise exception using errcode = 'BR403', message = 'Only an owner makes someone an owner.',
            hint = 'forbidden';
    end if;
    v_email := pg_catalog.lower(pg_catalog.btrim(app.text_field(body, 'email', 254)));
    if v_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
        raise exception using errcode = 'BR422', message = 'email is not a valid address.',
            hint = 'validation_failed';
    end if;
    v_password := app.text_field(body, 'password', 1000);
    if pg_catalog.length(v_password) < 8 or pg_catalog.octet_length(v_password) > 72 then
        raise exception using errcode = 'BR422',
            message = 'password must be at least 8 characters and at most 72 bytes.',
            hint = 'validation_failed';
    end if;
    if v_password is not null and v_email is null then
        raise exception using errcode = 'BR422',
            message = 'A password needs an email to sign in with.', hint = 'validation_failed';
    end if;
    v_pin := app.text_field(body, 'pin', 100);
    if v_pin !~ '^[0-9]{4,8}$' then
        raise exception using errcode = 'BR422', message = 'pin must be 4 to 8 digits.',
            hint = 'validation_failed';
    end if;
    if v_email is null and v_pin is null then
        raise exception using errcode = 'BR422',
            message = 'Give an email or a PIN: without either this person can never sign in.',
            hint = 'validation_failed';
    end if;
    v_branch_ids := coalesce(app.uuid_list_field(body, 'branch_ids'), '{}');
    if exists (
        select 1
        from pg_catalog.unnest(v_branch_ids) as wanted (id)
        where not exists (
            select 1
            from app.branches as b
            where
                b.restaurant_id = v_restaurant_id
                and b.id = wanted.id
                and b.deleted_at is null
                and (v_scope is null or b.id = any(v_scope))
        )
    ) then
        raise exception using errcode = 'BR422', message = 'branch_ids names an unknown branch.',
            hint = 'validation_failed';
    end if;
    if v_scope is not null and pg_catalog.cardinality(v_branch_ids) = 0 then
        raise exception using errcode = 'BR403',
            message = 'A branch manager assigns new staff to their own branches.',
            hint = 'forbidden';
    end if;

    -- Hash before looking the email up, so the time taken does not tell whether it existed.
    if v_password is not null then
        v_password_hash := extensions.crypt(v_password, extensions.gen_salt('bf', 8));
    end if;
    if v_email is null then
        insert into app.users (name) values (v_name) returning id into v_user_id;
        v_new_user := true;
    else
        insert into app.users (email, name) values (v_email, v_name)
        on conflict (email) do nothing
        returning id into v_user_id;
        v_new_user := v_user_id is not null;
        if not v_new_user then
            -- A person already known (maybe in another restaurant): reuse them, and never
            -- touch their name or password from here.
            select u.id into strict v_user_id from app.users as u where u.email = v_email;
        end if;
    end if;
    if v_new_user and v_password_hash is not null then
        insert into app_private.credentials (user_id, password_hash)
        values (v_user_id, v_password_hash);
    end if;

    select m.* into v_member
    from app.memberships as m
    where m.restaurant_id = v_restaurant_id and m.user_id = v_user_id
    for update;
    if found and v_member.deleted_at is null then
        raise exception using errcode = 'BR409', message = 'This person is already on the staff.',
            hint = 'staff_exists';
    elsif found then
        -- Someone removed earlier comes back: the same membership, with a fresh role and scope.
        update app.memberships as m
        set role = v_role, deleted_at = null
        where m.restaurant_id = v_member.restaurant_id and m.id = v_member.id
        returning m.* into v_member;
        delete from app.membership_branches as mb
        where mb.restaurant_id = v_member.restaurant_id and mb.membership_id = v_member.id;
    else
        insert into app.memberships (restaurant_id, user_id, role)
        values (v_restaurant_id, v_user_id, v_role)
        returning * into v_member;
    end if;
    insert into app.membership_branches (restaurant_id, membership_id, branch_id)
    select v_restaurant_id, v_member.id, wanted.id
    from pg_catalog.unnest(v_branch_ids) as wanted (id);
    if v_pin is not null then
        perform app.set_staff_pin(v_member.id, v_pin);
    end if;
    return app.staff_json(v_member);
end;
$$;
comment on function api.create_staff(uuid, jsonb) is
'Add a staff member, reusing the person if the email is known (owner, manager).';
revoke all on function api.create_staff(uuid, jsonb) from public;
grant execute on function api.create_staff(uuid, jsonb) to staff;
