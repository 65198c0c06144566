create or replace function app_private.emit_event(
    restaurant_id uuid,
    branch_id uuid,
    channel text,
    type text,
    payload jsonb,
    station_id uuid default null,
    session_id uuid default null,
    order_id uuid default null
)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_id bigint;
begin
    -- The branch's head row stays locked until this transaction ends, so the next writer of
    -- the branch takes the next id only after this one is visible: ids commit in id order
    -- (ADR 0009). Callers emit last, after their other row locks, to keep lock order.
    insert into queue.event_heads as h (restaurant_id, branch_id, last_id)
    values (emit_event.restaurant_id, emit_event.branch_id, 1)
    on conflict on constraint event_heads_pkey do update set last_id = h.last_id + 1
    returning h.last_id into v_id;
    insert into queue.events (
        restaurant_id, branch_id, id, channel, type, station_id, session_id, order_id, payload
    )
    values (
        emit_event.restaurant_id, emit_event.branch_id, v_id, emit_event.channel,
        emit_event.type, emit_event.station_id, emit_event.session_id, emit_event.order_id,
        emit_event.payload
    );
    -- A wake-up without row data; the same payload twice in a transaction is sent once.
    perform pg_catalog.pg_notify(
        'events', emit_event.restaurant_id::text || '/' || emit_event.branch_id::text
    );
    return v_id;
end;
$$;
comment on function app_private.emit_event(uuid, uuid, text, text, jsonb, uuid, uuid, uuid) is
'Appends an event to queue.events with the branch''s next id and wakes the SSE listeners.';
revoke all on function app_private.emit_event(uuid, uuid, text, text, jsonb, uuid, uuid, uuid)
from public;
