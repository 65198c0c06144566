-- RLS of app.onboarding_codes: platform admins issue and list onboarding codes.
alter table app.onboarding_codes enable row level security;
alter table app.onboarding_codes force row level security;

drop policy if exists select_as_platform_admin on app.onboarding_codes;
create policy select_as_platform_admin on app.onboarding_codes
for select to platform
using ((select auth.app_role()) = 'platform_admin');
comment on policy select_as_platform_admin on app.onboarding_codes is
'Platform admins list the codes they issued.';

drop policy if exists insert_as_platform_admin on app.onboarding_codes;
create policy insert_as_platform_admin on app.onboarding_codes
for insert to platform
with check ((select auth.app_role()) = 'platform_admin');
comment on policy insert_as_platform_admin on app.onboarding_codes is
'Platform admins issue onboarding codes.';

drop trigger if exists _900_audit on app.onboarding_codes;
create trigger _900_audit
after insert or update or delete on app.onboarding_codes
for each row execute function app_private.tg_audit('code_hash');
