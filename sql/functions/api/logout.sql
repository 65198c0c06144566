create or replace function api.logout(refresh_token text)
returns jsonb
language sql
volatile
security definer
set search_path = ''
as $$
    with spent as (
        select t.family_id
        from app_private.refresh_tokens as t
        where t.token_hash = app_private.sha256(logout.refresh_token)
    ),

    revoked as (
        update app_private.refresh_tokens as t set revoked_at = now()
        from spent
        where t.family_id = spent.family_id and t.revoked_at is null
        returning t.id
    )

    select jsonb_build_object('revoked', (select count(*) from revoked))
$$;
comment on function api.logout(text) is
'End a sign-in: revokes the refresh token''s family (idempotent; unknown tokens are ignored).';
revoke all on function api.logout(text) from public;
grant execute on function api.logout(text) to anon, customer, staff, platform;
