create or replace function app_private.refresh_ticket(restaurant_id uuid, ticket_id uuid)
returns app.tickets
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_ticket app.tickets;
    v_status text;
begin
    -- A ticket's status is derived from its lines, never set by hand: every line cancelled
    -- is cancelled; every live line ready is ready; anything started (or partly ready) is in
    -- progress; otherwise queued. Held lines count as not ready.
    select case
        when count(*) filter (where i.status <> 'cancelled') = 0 then 'cancelled'
        when bool_and(i.status = 'ready') filter (where i.status <> 'cancelled') then 'ready'
        when bool_or(i.status in ('in_progress', 'ready')) then 'in_progress'
        else 'queued'
    end
    into v_status
    from app.order_items as i
    where i.restaurant_id = refresh_ticket.restaurant_id and i.ticket_id = refresh_ticket.ticket_id;
    update app.tickets as t
    set
        status = v_status,
        started_at = case
            when v_status in ('in_progress', 'ready') then coalesce(t.started_at, pg_catalog.now())
            else t.started_at
        end,
        ready_at = case when v_status = 'ready' then coalesce(t.ready_at, pg_catalog.now()) end
    where t.restaurant_id = refresh_ticket.restaurant_id and t.id = refresh_ticket.ticket_id
    returning t.* into v_ticket;
    return v_ticket;
end;
$$;
comment on function app_private.refresh_ticket(uuid, uuid) is
'Derives a ticket''s status (and its start and ready times) from its lines.';
revoke all on function app_private.refresh_ticket(uuid, uuid) from public;
