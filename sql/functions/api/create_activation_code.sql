create or replace function api.create_activation_code(
    plan text default 'standard', expires_in_days integer default 14
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_code text := app_private.random_code(16);
    v_expires timestamptz;
begin
    -- Definer only to generate the code; who may issue it is decided here, from the claims.
    if (select auth.app_role()) is distinct from 'platform_admin' then
        raise exception using errcode = 'BR403', message = 'Only platform admins issue codes.',
            hint = 'forbidden';
    end if;
    if coalesce(create_activation_code.expires_in_days, 14) not between 1 and 90 then
        raise exception using errcode = 'BR422', message = 'expires_in_days must be 1..90.',
            hint = 'validation_failed';
    end if;
    if coalesce(create_activation_code.plan, 'standard') not in ('trial', 'standard', 'pro') then
        raise exception using errcode = 'BR422', message = 'plan must be trial, standard or pro.',
            hint = 'validation_failed';
    end if;
    insert into app.onboarding_codes (code_hash, plan, created_by, expires_at)
    values (
        app_private.sha256(v_code),
        coalesce(create_activation_code.plan, 'standard'),
        (select auth.user_id()),
        now() + make_interval(days => coalesce(create_activation_code.expires_in_days, 14))
    )
    returning expires_at into v_expires;
    return jsonb_build_object('code', v_code, 'expires_at', v_expires);
end;
$$;
comment on function api.create_activation_code(text, integer) is
'Issue a single-use onboarding code for a new restaurant (platform admin).';
revoke all on function api.create_activation_code(text, integer) from public;
grant execute on function api.create_activation_code(text, integer) to platform;
