create or replace function api.bump_ticket(ticket_id uuid)
returns jsonb
language sql
volatile
security definer
set search_path = ''
as $$
    select app_private.work_ticket(bump_ticket.ticket_id, 'bump')
$$;
comment on function api.bump_ticket(uuid) is
'Kitchen: the ticket is ready (queued or in_progress -> ready).';
revoke all on function api.bump_ticket(uuid) from public;
grant execute on function api.bump_ticket(uuid) to staff, customer;
