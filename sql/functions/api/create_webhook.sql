create or replace function api.create_webhook(
    restaurant_id uuid, body jsonb, webhook_key text default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_url text;
    v_event_types text [];
    v_secret text;
    v_webhook jsonb;
begin
    perform app.require_keys(body, array['url', 'event_types']);
    -- RLS shows the caller only their own restaurant: another tenant's id is not found.
    perform 1 from app.restaurants as r where r.id = create_webhook.restaurant_id;
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
    v_url := app.text_field(body, 'url', 2000, true);
    if v_url !~ '^https?://[^/?#@\s]+([/?#]\S*)?$' then
        raise exception using errcode = 'BR422',
            message = 'url must be an http:// or https:// URL with a host and no credentials.',
            hint = 'validation_failed';
    end if;
    v_event_types := app.text_list_field(body, 'event_types', 20, 60);
    if coalesce(cardinality(v_event_types), 0) = 0 then
        raise exception using errcode = 'BR422', message = 'event_types needs at least one type.',
            hint = 'validation_failed';
    end if;
    if not v_event_types <@ app.webhook_event_types() then
        raise exception using errcode = 'BR422',
            message = pg_catalog.format(
                'event_types may name only: %s.',
                pg_catalog.array_to_string(app.webhook_event_types(), ', ')
            ),
            hint = 'validation_failed';
    end if;
    if coalesce(create_webhook.webhook_key, '') = '' then
        raise exception using errcode = 'BR422',
            message = 'BRIGADE_WEBHOOK_KEY is not set: webhook secrets cannot be stored.',
            hint = 'webhook_key_missing';
    end if;
    if (
        select count(*) from app.webhook_subscriptions as s
        where s.restaurant_id = create_webhook.restaurant_id
    ) >= 20 then
        raise exception using errcode = 'BR409', message = 'A restaurant has at most 20 webhooks.',
            hint = 'too_many_webhooks';
    end if;
    -- The signing secret is shown in clear once, in this answer; stored encrypted.
    v_secret := 'whsec_' || pg_catalog.encode(extensions.gen_random_bytes(24), 'hex');
    insert into app.webhook_subscriptions as s (restaurant_id, url, event_types, secret, created_by)
    values (
        create_webhook.restaurant_id,
        v_url,
        v_event_types,
        extensions.pgp_sym_encrypt(v_secret, create_webhook.webhook_key),
        (select auth.user_id())
    )
    returning app.webhook_json(
        s.id, s.restaurant_id, s.url, s.event_types, s.active, s.failure_count, s.disabled_at,
        s.created_at
    ) into v_webhook;
    return v_webhook || pg_catalog.jsonb_build_object('secret', v_secret);
end;
$$;
comment on function api.create_webhook(uuid, jsonb, text) is
'Subscribe a URL to event types; the answer holds the signing secret, shown only once (owner, manager).';
revoke all on function api.create_webhook(uuid, jsonb, text) from public;
grant execute on function api.create_webhook(uuid, jsonb, text) to staff;
