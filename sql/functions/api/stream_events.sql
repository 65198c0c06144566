create or replace function api.stream_events(
    branch_id uuid,
    after_id bigint,
    station_id uuid default null,
    order_id uuid default null,
    lim integer default 500
)
returns jsonb
language sql
stable
set search_path = ''
as $$
    -- Replay for Last-Event-ID, read under the subscriber's own claims (RLS of queue.events):
    -- a kitchen stream gets its station's events and the branch-wide ones; an order stream
    -- gets that order's status and queue events only.
    select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
        'id', e.id, 'type', e.type, 'data', e.payload
    ) order by e.id), '[]'::jsonb)
    from (
        select e.id, e.type, e.payload
        from queue.events as e
        where
            e.branch_id = stream_events.branch_id
            and e.id > stream_events.after_id
            and (stream_events.station_id is null or e.station_id is null or e.station_id = stream_events.station_id)
            and (
                stream_events.order_id is null
                or (e.order_id = stream_events.order_id and e.channel in ('orders', 'queue'))
            )
        order by e.id
        limit least(greatest(stream_events.lim, 1), 1000)
    ) as e
$$;
comment on function api.stream_events(uuid, bigint, uuid, uuid, integer) is
'Events of a branch after an id, in order, as the caller''s claims may see them (SSE replay).';
revoke all on function api.stream_events(uuid, bigint, uuid, uuid, integer) from public;
grant execute on function api.stream_events(uuid, bigint, uuid, uuid, integer) to staff, customer;
