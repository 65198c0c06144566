-- RLS of app.users: a person sees themselves; managers see the people of their restaurant.
alter table app.users enable row level security;
alter table app.users force row level security;

drop policy if exists select_self_and_colleagues on app.users;
create policy select_self_and_colleagues on app.users
for select to staff
using (
    id = (select auth.user_id())
    -- memberships is itself under RLS: this sees only members the caller may see.
    or exists (
        select 1 from app.memberships as m
        where
            m.user_id = users.id
            -- Removed staff stay the owner's: managers see them in memberships only.
            and (m.deleted_at is null or (select auth.app_role()) = 'owner')
    )
);
comment on policy select_self_and_colleagues on app.users is
'Staff read their own user; owners and managers the users of their restaurant.';

drop policy if exists select_as_platform_admin on app.users;
create policy select_as_platform_admin on app.users
for select to platform
using ((select auth.app_role()) = 'platform_admin');
comment on policy select_as_platform_admin on app.users is 'Platform admins look people up.';

drop policy if exists update_self_or_colleague on app.users;
create policy update_self_or_colleague on app.users
for update to staff
using (
    id = (select auth.user_id())
    or (
        (select auth.app_role()) in ('owner', 'manager')
        and exists (
            select 1 from app.memberships as m
            where
                m.user_id = users.id
                and (m.role <> 'owner' or (select auth.app_role()) = 'owner')
                and (m.deleted_at is null or (select auth.app_role()) = 'owner')
        )
    )
)
with check (
    id = (select auth.user_id())
    or (
        (select auth.app_role()) in ('owner', 'manager')
        and exists (
            select 1 from app.memberships as m
            where
                m.user_id = users.id
                and (m.role <> 'owner' or (select auth.app_role()) = 'owner')
                and (m.deleted_at is null or (select auth.app_role()) = 'owner')
        )
    )
);
comment on policy update_self_or_colleague on app.users is
'A person renames themselves; owners and managers rename their staff, only an owner an owner.';

drop trigger if exists _100_touch_updated_at on app.users;
create trigger _100_touch_updated_at
before update on app.users
for each row execute function app_private.tg_touch_updated_at();

drop trigger if exists _900_audit on app.users;
create trigger _900_audit
after insert or update or delete on app.users
for each row execute function app_private.tg_audit();
