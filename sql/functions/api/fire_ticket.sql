create or replace function api.fire_ticket(ticket_id uuid, course integer)
returns jsonb
language sql
volatile
security definer
set search_path = ''
as $$
    select app_private.work_ticket(fire_ticket.ticket_id, 'fire', course => fire_ticket.course)
$$;
comment on function api.fire_ticket(uuid, integer) is
'Kitchen or staff: release the held lines of one course of a ticket.';
revoke all on function api.fire_ticket(uuid, integer) from public;
grant execute on function api.fire_ticket(uuid, integer) to staff, customer;
