create or replace function api.create_device_code(branch_id uuid)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    -- 32 symbols without look-alikes (no 0/O, 1/I): five random bits make one symbol, unbiased.
    c_alphabet constant text := 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    v_branch app.branches;
    v_bytes bytea := extensions.gen_random_bytes(10);
    v_code text;
    v_id uuid;
    v_expires_at timestamptz;
begin
    select b.* into v_branch
    from app.branches as b
    where b.id = create_device_code.branch_id and b.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Branch not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers issue device codes.');
    select pg_catalog.string_agg(
        pg_catalog.substr(c_alphabet, (pg_catalog.get_byte(v_bytes, i) & 31) + 1, 1), ''
        order by i
    )
    into v_code
    from pg_catalog.generate_series(0, 9) as i;
    -- Only the hash is stored: the code is shown once, here.
    insert into app.device_codes (restaurant_id, branch_id, code_hash, created_by, expires_at)
    values (
        v_branch.restaurant_id, v_branch.id, extensions.digest(v_code, 'sha256'),
        (select auth.user_id()), pg_catalog.now() + interval '24 hours'
    )
    returning id, expires_at into v_id, v_expires_at;
    return pg_catalog.jsonb_build_object(
        'id', v_id,
        'branch_id', v_branch.id,
        'activation_code', v_code,
        'expires_at', v_expires_at
    );
end;
$$;
comment on function api.create_device_code(uuid) is
'Issue a one-time code that pins a new device to a branch (owner, manager).';
revoke all on function api.create_device_code(uuid) from public;
grant execute on function api.create_device_code(uuid) to staff;
