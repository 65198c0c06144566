create or replace function queue.events_after(
    restaurant_ids uuid[], branch_ids uuid[], after_ids bigint[], lim integer default 1000
)
returns table (
    restaurant_id uuid,
    branch_id uuid,
    id bigint,
    type text,
    station_id uuid,
    session_id uuid,
    order_id uuid,
    channel text,
    payload text
)
language sql
stable
security definer
set search_path = ''
as $$
    -- The SSE listener's one read per wake-up, for every branch it has subscribers in: the
    -- rows after each branch's cursor. It is privileged (it reads for all its subscribers);
    -- the API process delivers each row only to subscribers whose claims match its keys.
    select e.restaurant_id, e.branch_id, e.id, e.type, e.station_id, e.session_id, e.order_id,
        e.channel, e.payload::text
    from unnest(events_after.restaurant_ids, events_after.branch_ids, events_after.after_ids)
        as c (restaurant_id, branch_id, after_id)
    cross join lateral (
        select x.*
        from queue.events as x
        where x.restaurant_id = c.restaurant_id and x.branch_id = c.branch_id and x.id > c.after_id
        order by x.id
        limit events_after.lim
    ) as e
    order by e.restaurant_id, e.branch_id, e.id
$$;
comment on function queue.events_after(uuid[], uuid[], bigint[], integer) is
'SSE fan-out: events after a cursor per branch, for the API process''s privileged listener.';
revoke all on function queue.events_after(uuid[], uuid[], bigint[], integer) from public;
grant execute on function queue.events_after(uuid[], uuid[], bigint[], integer) to authenticator;
