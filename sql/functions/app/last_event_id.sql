create or replace function app.last_event_id(restaurant_id uuid, branch_id uuid)
returns bigint
language plpgsql
stable
set search_path = ''
as $$
begin
    -- The newest event of a branch the caller may see: a stream opened now starts after it.
    return (
        select coalesce(max(e.id), 0)
        from queue.events as e
        where e.restaurant_id = last_event_id.restaurant_id and e.branch_id = last_event_id.branch_id
    );
end;
$$;
comment on function app.last_event_id(uuid, uuid) is
'The id of a branch''s newest event (0 if none): where a new stream or a screen''s list starts.';
revoke all on function app.last_event_id(uuid, uuid) from public;
grant execute on function app.last_event_id(uuid, uuid) to staff, customer;
