create or replace function app_private.tg_menu_stale()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
    v_row jsonb := pg_catalog.to_jsonb(coalesce(new, old));
    v_restaurant uuid := coalesce(
        (v_row ->> 'restaurant_id')::uuid,
        case when tg_table_name = 'restaurants' then (v_row ->> 'id')::uuid end
    );
    v_branch uuid := case
        when tg_table_name = 'branches' then (v_row ->> 'id')::uuid
        else (v_row ->> 'branch_id')::uuid
    end;
begin
    -- Marks the cached menus this change affects as stale, in the same transaction; the
    -- next read rebuilds them. A branch-level change (86, branch time zone) touches one branch.
    update app_private.menu_cache as c set stale = true
    where c.restaurant_id = v_restaurant
        and (v_branch is null or c.branch_id = v_branch)
        and not c.stale;
    -- API processes keep menus in memory too: a wake-up naming only the restaurant, sent at
    -- commit, once per transaction (identical notifications in a transaction are folded).
    perform pg_notify('menu', v_restaurant::text);
    -- And the worker warms them again shortly after: a burst of edits folds into one
    -- pending task per branch (dedupe key), due two seconds after the first edit.
    perform queue.enqueue(
        'menu_rebuild',
        jsonb_build_object('branch_id', b.id),
        v_restaurant,
        run_at => pg_catalog.now() + interval '2 seconds',
        dedupe_key => 'menu_rebuild:' || b.id
    )
    from app.branches as b
    where b.restaurant_id = v_restaurant
        and (v_branch is null or b.id = v_branch)
        and b.deleted_at is null;
    return null;
end;
$$;
comment on function app_private.tg_menu_stale() is
'Invalidates the cached menus of the restaurant (or one branch) a catalog change touches.';
revoke all on function app_private.tg_menu_stale() from public;
