create or replace function api.create_table(branch_id uuid, body jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_branch app.branches;
    v_label text;
    v_seats integer;
    v_table app.dining_tables;
begin
    perform app.require_keys(body, array['label', 'seats']);
    select b.* into v_branch
    from app.branches as b
    where b.id = create_table.branch_id and b.deleted_at is null;
    if not found then
        raise exception using errcode = 'BR404', message = 'Branch not found.',
            hint = 'not_found';
    end if;
    perform app.require_manager('Only owners and managers add tables.');
    v_label := app.text_field(body, 'label', 40, true);
    v_seats := app.integer_field(body, 'seats', 1, 100);
    if exists (
        select 1 from app.dining_tables as t
        where
            t.restaurant_id = v_branch.restaurant_id
            and t.branch_id = v_branch.id
            and t.label = v_label
            and t.deleted_at is null
    ) then
        raise exception using errcode = 'BR409', message = 'This branch has a table of that label.',
            hint = 'table_label_taken';
    end if;
    -- qr_token comes from the column default: random, never chosen by a client.
    insert into app.dining_tables (restaurant_id, branch_id, label, seats)
    values (v_branch.restaurant_id, v_branch.id, v_label, coalesce(v_seats, 2))
    returning * into v_table;
    return app.table_json(v_table, null);
end;
$$;
comment on function api.create_table(uuid, jsonb) is
'Add a dining table, with its QR token, to a branch (owner, manager).';
revoke all on function api.create_table(uuid, jsonb) from public;
grant execute on function api.create_table(uuid, jsonb) to staff;
