create or replace function app_private.work_ticket(
    ticket_id uuid, action text, course integer default null, rush boolean default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_ticket app.tickets;
    v_order app.orders;
    v_from text [];
    v_to text;
    v_changed integer;
begin
    -- One place for the kitchen's moves. start: queued lines begin; bump: started or queued
    -- lines are ready; recall: a ready ticket goes back to in progress; fire: held lines of a
    -- course are released; rush: the ticket jumps the queue. Staff of the ticket's branch only
    -- (a guest or another branch: 404); start, bump and recall are the kitchen's (and managers').
    select t.* into v_ticket
    from app.tickets as t
    where
        t.restaurant_id = auth.restaurant_id()
        and t.id = work_ticket.ticket_id
        -- No session: a guest's claims reach no ticket, staff's the branches in their scope.
        and app_private.claims_reach(t.branch_id, null);
    if not found then
        raise exception using errcode = 'BR404', message = 'Ticket not found.', hint = 'not_found';
    end if;
    if action in ('start', 'bump', 'recall') and auth.app_role() not in ('kitchen', 'owner', 'manager') then
        raise exception using errcode = 'BR403', message = 'Only the kitchen works tickets.',
            hint = 'forbidden';
    end if;
    -- Lock order: the order, then the ticket (as every order writer does).
    select o.* into v_order from app.orders as o
    where o.restaurant_id = v_ticket.restaurant_id and o.id = v_ticket.order_id
    for update;
    select t.* into v_ticket from app.tickets as t
    where t.restaurant_id = v_ticket.restaurant_id and t.id = v_ticket.id
    for update;

    if action = 'rush' then
        update app.tickets as t set rush = coalesce(work_ticket.rush, true)
        where t.restaurant_id = v_ticket.restaurant_id and t.id = v_ticket.id
        returning t.* into v_ticket;
        perform app_private.emit_ticket(v_ticket, 'ticket.updated');
        return app.ticket_json(v_ticket);
    end if;
    if action = 'fire' and (course is null or course not between 1 and 9) then
        raise exception using errcode = 'BR422', message = 'course must be from 1 to 9.',
            hint = 'validation_failed';
    end if;
    select x.from_lines, x.to_line into v_from, v_to
    from (values
        ('start', array['queued'], 'in_progress', array['queued']),
        ('bump', array['queued', 'in_progress'], 'ready', array['queued', 'in_progress']),
        ('recall', array['ready'], 'in_progress', array['ready']),
        ('fire', array['held'], 'queued', array['queued', 'in_progress', 'ready'])
    ) as x (action, from_lines, to_line, ticket_states)
    where x.action = work_ticket.action and v_ticket.status = any(x.ticket_states);
    if v_to is null or v_order.status not in ('accepted', 'preparing', 'ready') then
        raise exception using errcode = 'BR409',
            message = pg_catalog.format('A ticket that is %s cannot be %s.', v_ticket.status,
                case action when 'start' then 'started' when 'bump' then 'bumped'
                    when 'recall' then 'recalled' else 'fired' end),
            hint = 'invalid_transition';
    end if;
    update app.order_items as i set status = v_to
    where
        i.restaurant_id = v_ticket.restaurant_id
        and i.ticket_id = v_ticket.id
        and i.status = any(v_from)
        and (action <> 'fire' or i.course = work_ticket.course);
    get diagnostics v_changed = row_count;
    if v_changed = 0 then
        raise exception using errcode = 'BR409',
            message = case when action = 'fire'
                then pg_catalog.format('No held items of course %s on this ticket.', course)
                else 'Nothing on this ticket to do that to.' end,
            hint = 'invalid_transition';
    end if;
    v_ticket := app_private.refresh_ticket(v_ticket.restaurant_id, v_ticket.id);
    perform app_private.emit_ticket(v_ticket, 'ticket.updated');
    perform app_private.follow_tickets(v_order);
    return app.ticket_json(v_ticket);
end;
$$;
comment on function app_private.work_ticket(uuid, text, integer, boolean) is
'The kitchen''s moves on a ticket (start, bump, recall, fire, rush); the order follows.';
revoke all on function app_private.work_ticket(uuid, text, integer, boolean) from public;
