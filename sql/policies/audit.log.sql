-- RLS of audit.log: owners and managers read their restaurant's trail; nobody rewrites it.
alter table audit.log enable row level security;
alter table audit.log force row level security;

drop policy if exists select_own_restaurant on audit.log;
create policy select_own_restaurant on audit.log
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    -- Audit rows span branches: a branch-scoped manager would read other branches' changes.
    and (select auth.branch_scope()) is null
);
comment on policy select_own_restaurant on audit.log is
'Owners and restaurant-wide managers read who changed what in their restaurant.';

drop policy if exists select_as_platform_admin on audit.log;
create policy select_as_platform_admin on audit.log
for select to platform
using ((select auth.app_role()) = 'platform_admin');
comment on policy select_as_platform_admin on audit.log is 'Platform admins read the whole trail.';

drop trigger if exists _000_append_only on audit.log;
create trigger _000_append_only
before update or delete on audit.log
for each row execute function app_private.tg_append_only();

drop trigger if exists _000_no_truncate on audit.log;
create trigger _000_no_truncate
before truncate on audit.log
for each statement execute function app_private.tg_append_only();
