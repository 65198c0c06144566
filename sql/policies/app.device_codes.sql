-- RLS of app.device_codes: activation codes for devices, issued by owners and managers.
alter table app.device_codes enable row level security;
alter table app.device_codes force row level security;

drop policy if exists select_as_manager on app.device_codes;
create policy select_as_manager on app.device_codes
for select to staff
using (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy select_as_manager on app.device_codes is
'Owners and managers see the codes issued for their branches.';

drop policy if exists insert_as_manager on app.device_codes;
create policy insert_as_manager on app.device_codes
for insert to staff
with check (
    restaurant_id = (select auth.restaurant_id())
    and (select auth.app_role()) in ('owner', 'manager')
    and (created_by is null or created_by = (select auth.user_id()))
    and ((select auth.branch_scope()) is null or branch_id = any(cast((select auth.branch_scope()) as uuid[])))
);
comment on policy insert_as_manager on app.device_codes is
'Owners and managers issue device codes for their branches.';

drop trigger if exists _900_audit on app.device_codes;
create trigger _900_audit
after insert or update or delete on app.device_codes
for each row execute function app_private.tg_audit('code_hash');
