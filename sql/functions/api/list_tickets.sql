create or replace function api.list_tickets(
    branch_id uuid, station_id uuid default null, status text default null, lim integer default 200
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    v_branch app.branches;
    v_items jsonb;
begin
    perform app.require_limit(lim);
    v_branch := app.kitchen_branch(list_tickets.branch_id, list_tickets.station_id);
    if status is not null and status not in ('open', 'queued', 'in_progress', 'ready', 'cancelled') then
        raise exception using errcode = 'BR422',
            message = 'status must be open, queued, in_progress, ready or cancelled.',
            hint = 'validation_failed';
    end if;
    -- Oldest first; ready and cancelled ones only from the last 12 hours (a recall list).
    select coalesce(pg_catalog.jsonb_agg(app.ticket_json(x.t) order by (x.t).created_at, (x.t).id), '[]'::jsonb)
    into v_items
    from (
        select t
        from app.tickets as t
        where
            t.restaurant_id = v_branch.restaurant_id
            and t.branch_id = v_branch.id
            and (list_tickets.station_id is null or t.station_id = list_tickets.station_id)
            and case coalesce(list_tickets.status, 'open')
                when 'open' then t.status in ('queued', 'in_progress')
                else t.status = list_tickets.status
                    and t.updated_at > pg_catalog.now() - interval '12 hours'
            end
        order by t.created_at, t.id
        limit list_tickets.lim
    ) as x;
    -- last_event_id: a screen that loads this list then streams from here misses nothing.
    return pg_catalog.jsonb_build_object(
        'items', v_items,
        'next_cursor', null,
        'last_event_id', app.last_event_id(v_branch.restaurant_id, v_branch.id)
    );
end;
$$;
comment on function api.list_tickets(uuid, uuid, text, integer) is
'A branch''s tickets for its screens, oldest first, with the event id to stream from.';
revoke all on function api.list_tickets(uuid, uuid, text, integer) from public;
grant execute on function api.list_tickets(uuid, uuid, text, integer) to staff, customer;
