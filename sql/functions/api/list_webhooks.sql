create or replace function api.list_webhooks(
    restaurant_id uuid, lim integer default 50, cursor uuid default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_items jsonb;
begin
    perform app.require_limit(lim);
    perform 1 from app.restaurants as r where r.id = list_webhooks.restaurant_id;
    if not found then
        raise exception using errcode = 'BR404', message = 'Restaurant not found.',
            hint = 'not_found';
    end if;
    if (select auth.app_role()) is null or (select auth.app_role()) not in ('owner', 'manager')
        or (select auth.branch_scope()) is not null then
        raise exception using errcode = 'BR403',
            message = 'Only owners and restaurant-wide managers manage webhooks.',
            hint = 'forbidden';
    end if;
    select coalesce(pg_catalog.jsonb_agg(x.webhook order by x.id), '[]'::jsonb)
    into v_items
    from (
        select
            s.id,
            app.webhook_json(
                s.id, s.restaurant_id, s.url, s.event_types, s.active, s.failure_count,
                s.disabled_at, s.created_at
            ) as webhook
        from app.webhook_subscriptions as s
        where
            s.restaurant_id = list_webhooks.restaurant_id
            and (list_webhooks.cursor is null or s.id > list_webhooks.cursor)
        order by s.id
        limit list_webhooks.lim + 1
    ) as x;
    return app.page_json(v_items, lim);
end;
$$;
comment on function api.list_webhooks(uuid, integer, uuid) is
'List the webhook subscriptions of a restaurant, without their secrets (owner, manager).';
revoke all on function api.list_webhooks(uuid, integer, uuid) from public;
grant execute on function api.list_webhooks(uuid, integer, uuid) to staff;
