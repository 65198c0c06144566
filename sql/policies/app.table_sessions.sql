-- RLS of app.table_sessions: staff of the branch run sessions; a guest sees only their own.
alter table app.table_sessions enable row level security;
alter table app.table_sessions force row level security;

drop policy if exists select_branch_sessions on app.table_sessions;
create policy select_branch_sessions on app.table_sessions
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy select_branch_sessions on app.table_sessions is
'Staff read the sessions of the branches in their scope.';

drop policy if exists select_own_session on app.table_sessions;
create policy select_own_session on app.table_sessions
for select to customer
using (
    restaurant_id = (select auth.restaurant_id())
    and id = (select auth.session_id())
);
comment on policy select_own_session on app.table_sessions is
'A guest reads only the session their token belongs to.';

drop policy if exists insert_branch_session on app.table_sessions;
create policy insert_branch_session on app.table_sessions
for insert to staff
with check (
    -- Whoever opens a table is who the row names (or nobody).
    (opened_by is null or opened_by = (select auth.user_id()))
    and restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager', 'waiter')
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy insert_branch_session on app.table_sessions is
'Front-of-house staff open tables in their branches.';

drop policy if exists update_branch_session on app.table_sessions;
create policy update_branch_session on app.table_sessions
for update to staff
using (
    closed_at is null
    and restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager', 'waiter')
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
)
with check (
    -- Closing is final: a closed session (and its guests' tokens) cannot be reopened.
    closed_at is not null
    and (closed_by is null or closed_by = (select auth.user_id()))
    and restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager', 'waiter')
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy update_branch_session on app.table_sessions is
'Front-of-house staff close open tables in their branches, for good.';

drop trigger if exists _900_audit on app.table_sessions;
-- last_activity_at moves with every order: noise in the audit log, so left out of it.
create trigger _900_audit
after insert or update or delete on app.table_sessions
for each row execute function app_private.tg_audit('last_activity_at');
