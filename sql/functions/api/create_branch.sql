create or replace function api.create_branch(restaurant_id uuid, body jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_name text;
    v_address text;
    v_timezone text;
    v_auto_accept boolean;
    v_qr_requires_open_table boolean;
    v_branch app.branches;
begin
    perform app.require_keys(
        body, array['name', 'address', 'timezone', 'auto_accept', 'qr_requires_open_table']
    );
    -- RLS decides visibility (another tenant: 404); the role decides permission (403).
    perform 1 from app.restaurants as r where r.id = create_branch.restaurant_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Restaurant not found.',
            hint = 'not_found';
    end if;
    if (select auth.app_role()) is distinct from 'owner' then
        raise exception using errcode = 'BR403', message = 'Only the owner opens a branch.',
            hint = 'forbidden';
    end if;
    v_name := app.text_field(body, 'name', 120, true);
    v_address := app.text_field(body, 'address', 500);
    v_timezone := app.text_field(body, 'timezone', 64);
    v_auto_accept := app.boolean_field(body, 'auto_accept');
    v_qr_requires_open_table := app.boolean_field(body, 'qr_requires_open_table');
    if v_timezone is not null and not exists (
        select 1 from pg_catalog.pg_timezone_names as z where z.name = v_timezone
    ) then
        raise exception using errcode = 'BR422', message = 'Unknown time zone.',
            hint = 'validation_failed';
    end if;
    if exists (
        select 1 from app.branches as b
        where b.restaurant_id = create_branch.restaurant_id and b.name = v_name
    ) then
        raise exception using errcode = 'BR409',
            message = 'A branch with this name exists (restore it if it was deleted).',
            hint = 'branch_name_taken';
    end if;
    insert into app.branches (
        restaurant_id, name, address, timezone, auto_accept, qr_requires_open_table
    )
    values (
        create_branch.restaurant_id, v_name, v_address, v_timezone,
        coalesce(v_auto_accept, false), coalesce(v_qr_requires_open_table, false)
    )
    returning * into v_branch;
    -- Every branch has a default station, so an order always has somewhere to go.
    insert into app.stations (restaurant_id, branch_id, name, is_default)
    values (v_branch.restaurant_id, v_branch.id, 'Kitchen', true);
    return app.branch_json(v_branch);
end;
$$;
comment on function api.create_branch(uuid, jsonb) is
'Open a branch, with its default kitchen station (owner).';
revoke all on function api.create_branch(uuid, jsonb) from public;
grant execute on function api.create_branch(uuid, jsonb) to staff;
