create or replace function api.recall_ticket(ticket_id uuid)
returns jsonb
language sql
volatile
security definer
set search_path = ''
as $$
    select app_private.work_ticket(recall_ticket.ticket_id, 'recall')
$$;
comment on function api.recall_ticket(uuid) is
'Kitchen: a ready ticket goes back to in_progress.';
revoke all on function api.recall_ticket(uuid) from public;
grant execute on function api.recall_ticket(uuid) to staff, customer;
