create or replace function app.task_menu_rebuild(payload jsonb)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_branch uuid := (task_menu_rebuild.payload ->> 'branch_id')::uuid;
    v_restaurant app.restaurants;
    v_lang text;
begin
    -- Warms the cached menus of a branch after a catalog change (enqueue it with the dedupe
    -- key 'menu_rebuild:<branch_id>' so that a burst of edits rebuilds once): every language
    -- cached for the branch, and the restaurant's own. api.menu itself rebuilds an entry that
    -- is stale, expired or missing, so the document is built by the very code that serves it.
    -- Definer: the worker role has no tenant and reads no catalog row under RLS.
    -- Safe to run twice: an entry that is fresh is left as it is.
    if v_branch is null then
        raise exception using
            errcode = 'BR422',
            message = 'payload.branch_id is required.',
            hint = 'validation_failed';
    end if;
    select r.* into v_restaurant
    from app.branches as b
    inner join app.restaurants as r on b.restaurant_id = r.id
    where b.id = v_branch and b.deleted_at is null and r.status = 'active';
    if not found then
        return;  -- deleted or suspended since it was enqueued: nothing is served, nothing to do
    end if;
    for v_lang in
        select c.lang
        from app_private.menu_cache as c
        where c.restaurant_id = v_restaurant.id and c.branch_id = v_branch
        union
        select v_restaurant.locale
    loop
        perform api.menu(v_branch, v_lang);
    end loop;
end;
$$;
comment on function app.task_menu_rebuild(jsonb) is
'Handler of task type menu_rebuild: rebuilds a branch''s stale cached menus before a guest asks.';
revoke all on function app.task_menu_rebuild(jsonb) from public;
grant execute on function app.task_menu_rebuild(jsonb) to worker;
