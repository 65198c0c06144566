create or replace function app.webhook_json(
    id uuid,
    restaurant_id uuid,
    url text,
    event_types text[],
    active boolean,
    failure_count integer,
    disabled_at timestamptz,
    created_at timestamptz
)
returns jsonb
language sql
immutable
set search_path = ''
as $$
    -- Column by column, not the row: the row holds the secret, which no request role reads
    -- (it is shown once, by api.create_webhook).
    select pg_catalog.jsonb_build_object(
        'id', webhook_json.id,
        'restaurant_id', webhook_json.restaurant_id,
        'url', webhook_json.url,
        'event_types', pg_catalog.to_jsonb(webhook_json.event_types),
        'active', webhook_json.active,
        'failure_count', webhook_json.failure_count,
        'disabled_at', webhook_json.disabled_at,
        'created_at', webhook_json.created_at
    )
$$;
comment on function app.webhook_json(
    uuid, uuid, text, text[], boolean, integer, timestamptz, timestamptz
) is
'A webhook subscription as the API shows it (without its secret).';
revoke all on function app.webhook_json(
    uuid, uuid, text, text[], boolean, integer, timestamptz, timestamptz
) from public;
grant execute on function app.webhook_json(
    uuid, uuid, text, text[], boolean, integer, timestamptz, timestamptz
) to staff;
