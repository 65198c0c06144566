-- RLS of app.devices: owners and managers see and revoke devices; a device sees itself.
alter table app.devices enable row level security;
alter table app.devices force row level security;

drop policy if exists select_branch_devices on app.devices;
create policy select_branch_devices on app.devices
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (
        id = (select auth.device_id())
        or ((select auth.app_role()) in ('owner', 'manager') and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[]))))
    )
);
comment on policy select_branch_devices on app.devices is
'Owners and managers read the devices of their branches; a device reads itself.';

drop policy if exists update_as_manager on app.devices;
create policy update_as_manager on app.devices
for update to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
)
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy update_as_manager on app.devices is
'Owners and managers rename and revoke devices of their branches.';

drop trigger if exists _900_audit on app.devices;
create trigger _900_audit
after insert or update or delete on app.devices
for each row execute function app_private.tg_audit();
