create or replace function app_private.send_to_kitchen(o app.orders)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_default uuid;
    v_first_course integer;
    v_ticket app.tickets;
    v_count integer := 0;
    v_ticket_ids uuid [];
begin
    -- The order's pending lines (one round) become one ticket per station: a line goes to a
    -- station of this branch that its category routes to, else to the branch's default
    -- station. Lines are sent once: only pending ones are taken. The lowest course of the
    -- round is made now; later courses are held until fired.
    select st.id into v_default
    from app.stations as st
    where st.restaurant_id = o.restaurant_id and st.branch_id = o.branch_id
    order by st.is_default desc, st.created_at, st.id
    limit 1;
    if v_default is null then
        raise exception using errcode = 'BR409',
            message = 'This branch has no kitchen station to send the order to.',
            hint = 'no_station';
    end if;
    select min(i.course) into v_first_course
    from app.order_items as i
    where i.restaurant_id = o.restaurant_id and i.order_id = o.id and i.status = 'pending';

    -- One statement routes the lines, creates the tickets and points the lines at them; the
    -- tickets are announced after it, once the lines they show are written.
    with routed as (
        select
            i.id,
            coalesce((
                select sc.station_id
                from app.station_categories as sc
                inner join app.stations as st
                    on st.restaurant_id = sc.restaurant_id and st.id = sc.station_id
                where
                    sc.restaurant_id = i.restaurant_id
                    and sc.category_id = i.category_id
                    and st.branch_id = o.branch_id
                order by st.name, st.id
                limit 1
            ), v_default) as station_id
        from app.order_items as i
        where i.restaurant_id = o.restaurant_id and i.order_id = o.id and i.status = 'pending'
    ),

    tickets as (
        insert into app.tickets (restaurant_id, branch_id, order_id, station_id)
        select distinct o.restaurant_id, o.branch_id, o.id, r.station_id
        from routed as r
        returning id, station_id
    ),

    sent as (
        update app.order_items as i
        set
            ticket_id = t.id,
            status = case when i.course > v_first_course then 'held' else 'queued' end
        from routed as r
        inner join tickets as t on r.station_id = t.station_id
        where i.restaurant_id = o.restaurant_id and i.id = r.id
        returning i.ticket_id
    )

    select array_agg(distinct s.ticket_id) into v_ticket_ids from sent as s;

    for v_ticket in
        select t.* from app.tickets as t
        where t.restaurant_id = o.restaurant_id and t.id = any(v_ticket_ids)
        order by t.station_id
    loop
        v_count := v_count + 1;
        perform app_private.emit_ticket(v_ticket, 'ticket.created');
    end loop;
    return v_count;
end;
$$;
comment on function app_private.send_to_kitchen(app.orders) is
'Routes an order''s pending lines into one new ticket per station and announces them.';
revoke all on function app_private.send_to_kitchen(app.orders) from public;
