create or replace function api.update_branch(branch_id uuid, patch jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_branch app.branches;
    v_name text;
    v_address text;
    v_timezone text;
    v_auto_accept boolean;
    v_qr_requires_open_table boolean;
begin
    perform app.require_keys(
        patch, array['name', 'address', 'timezone', 'auto_accept', 'qr_requires_open_table']
    );
    select b.* into v_branch
    from app.branches as b
    where b.id = update_branch.branch_id and b.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Branch not found.',
            hint = 'not_found';
    end if;
    if (select auth.app_role()) is distinct from 'owner' then
        raise exception using errcode = 'BR403', message = 'Only the owner edits a branch.',
            hint = 'forbidden';
    end if;
    -- A key that is present is validated; address and timezone may be cleared with null.
    v_name := app.text_field(patch, 'name', 120, patch ? 'name');
    v_address := app.text_field(patch, 'address', 500);
    v_timezone := app.text_field(patch, 'timezone', 64);
    v_auto_accept := app.boolean_field(patch, 'auto_accept', patch ? 'auto_accept');
    v_qr_requires_open_table := app.boolean_field(
        patch, 'qr_requires_open_table', patch ? 'qr_requires_open_table'
    );
    if v_timezone is not null and not exists (
        select 1 from pg_catalog.pg_timezone_names as z where z.name = v_timezone
    ) then
        raise exception using errcode = 'BR422', message = 'Unknown time zone.',
            hint = 'validation_failed';
    end if;
    if v_name is not null and exists (
        select 1 from app.branches as b
        where
            b.restaurant_id = v_branch.restaurant_id
            and b.name = v_name
            and b.id <> v_branch.id
    ) then
        raise exception using errcode = 'BR409',
            message = 'A branch with this name exists (restore it if it was deleted).',
            hint = 'branch_name_taken';
    end if;
    update app.branches as b
    set
        name = coalesce(v_name, b.name),
        address = case when patch ? 'address' then v_address else b.address end,
        timezone = case when patch ? 'timezone' then v_timezone else b.timezone end,
        auto_accept = coalesce(v_auto_accept, b.auto_accept),
        qr_requires_open_table = coalesce(v_qr_requires_open_table, b.qr_requires_open_table)
    where b.restaurant_id = v_branch.restaurant_id and b.id = v_branch.id
    returning b.* into v_branch;
    if not found then
        raise exception using errcode = 'BR403', message = 'Only the owner edits a branch.',
            hint = 'forbidden';
    end if;
    return app.branch_json(v_branch);
end;
$$;
comment on function api.update_branch(uuid, jsonb) is
'Change a branch''s name, address, time zone or ordering settings (owner).';
revoke all on function api.update_branch(uuid, jsonb) from public;
grant execute on function api.update_branch(uuid, jsonb) to staff;
