create or replace function app_private.tg_audit()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
    v_old jsonb := case when tg_op in ('UPDATE', 'DELETE') then pg_catalog.to_jsonb(old) end;
    v_new jsonb := case when tg_op in ('INSERT', 'UPDATE') then pg_catalog.to_jsonb(new) end;
    v_row jsonb := coalesce(v_new, v_old);
    v_hidden text [] := coalesce(tg_argv::text [], '{}');
begin
    -- Columns named in the trigger's arguments (tokens, hashes) never reach the log.
    v_old := v_old - v_hidden;
    v_new := v_new - v_hidden;
    if tg_op = 'UPDATE' and v_old = v_new then
        return null;
    end if;
    insert into audit.log (
        restaurant_id, actor_user_id, actor_role, table_name, row_id, action,
        old_values, new_values
    )
    values (
        coalesce(
            (v_row ->> 'restaurant_id')::uuid,
            case when tg_table_name = 'restaurants' then (v_row ->> 'id')::uuid end
        ),
        auth.user_id(),
        coalesce(auth.app_role(), current_user),
        tg_table_schema || '.' || tg_table_name,
        v_row ->> 'id',
        pg_catalog.lower(tg_op),
        v_old,
        v_new
    );
    return null;
end;
$$;
comment on function app_private.tg_audit() is
'Generic audit trigger: actor from claims, old and new values minus the named secret columns.';
revoke all on function app_private.tg_audit() from public;
