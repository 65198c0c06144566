-- RLS of queue.events: a subscriber reads (replays) only what its claims may see.
alter table queue.events enable row level security;
alter table queue.events force row level security;

drop policy if exists select_branch_events on queue.events;
create policy select_branch_events on queue.events
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy select_branch_events on queue.events is
'Staff replay the events of the branches in their scope.';

drop policy if exists select_session_events on queue.events;
create policy select_session_events on queue.events
for select to customer
using (
    restaurant_id = (select auth.restaurant_id())
    and session_id = (select auth.session_id())
    and channel in ('orders', 'queue')
);
comment on policy select_session_events on queue.events is
'A guest replays only the order events of their own table session, never kitchen tickets.';
