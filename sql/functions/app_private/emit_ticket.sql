create or replace function app_private.emit_ticket(t app.tickets, type text)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
begin
    -- Kitchen events go to the ticket's station (and to screens showing every station);
    -- no session: guests never see tickets.
    return (
        select app_private.emit_event(
            t.restaurant_id, t.branch_id, 'kitchen', emit_ticket.type, app.ticket_json(t),
            station_id => t.station_id, order_id => t.order_id
        )
    );
end;
$$;
comment on function app_private.emit_ticket(app.tickets, text) is
'Announces a ticket (ticket.created or ticket.updated) with the ticket as its payload.';
revoke all on function app_private.emit_ticket(app.tickets, text) from public;
