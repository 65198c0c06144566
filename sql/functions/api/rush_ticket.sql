create or replace function api.rush_ticket(ticket_id uuid, rush boolean)
returns jsonb
language sql
volatile
security definer
set search_path = ''
as $$
    select app_private.work_ticket(rush_ticket.ticket_id, 'rush', rush => rush_ticket.rush)
$$;
comment on function api.rush_ticket(uuid, boolean) is
'Staff: flag a ticket as rush (shown first) or clear the flag.';
revoke all on function api.rush_ticket(uuid, boolean) from public;
grant execute on function api.rush_ticket(uuid, boolean) to staff, customer;
