create or replace function api.start_ticket(ticket_id uuid)
returns jsonb
language sql
volatile
security definer
set search_path = ''
as $$
    select app_private.work_ticket(start_ticket.ticket_id, 'start')
$$;
comment on function api.start_ticket(uuid) is
'Kitchen: queued lines begin (queued -> in_progress).';
revoke all on function api.start_ticket(uuid) from public;
grant execute on function api.start_ticket(uuid) to staff, customer;
