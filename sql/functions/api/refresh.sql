create or replace function api.refresh(refresh_token text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_token app_private.refresh_tokens;
    v_claims jsonb;
begin
    select t.* into v_token
    from app_private.refresh_tokens as t
    where t.token_hash = app_private.sha256(refresh.refresh_token)
    for update;
    if not found or v_token.revoked_at is not null or v_token.expires_at <= now() then
        return app_private.problem(401, 'invalid_refresh_token', 'The refresh token is not valid.');
    end if;
    if v_token.used_at is not null then
        -- A spent token used again means it leaked: end the whole family.
        update app_private.refresh_tokens as t set revoked_at = now()
        where t.family_id = v_token.family_id and t.revoked_at is null;
        return app_private.problem(
            401, 'refresh_token_reused', 'The refresh token was already used; sign in again.'
        );
    end if;
    update app_private.refresh_tokens as t set used_at = now() where t.id = v_token.id;

    -- Claims are derived again: a removed member or a revoked device gets nothing.
    v_claims := case
        when v_token.claims ->> 'role' = 'platform' then (
            select v_token.claims from app_private.platform_admins as a
            where a.user_id = v_token.user_id
        )
        when v_token.restaurant_id is null then v_token.claims
        else app_private.staff_claims(
            v_token.user_id, v_token.restaurant_id, (v_token.claims ->> 'device_id')::uuid
        )
    end;
    if v_claims is null then
        return app_private.problem(401, 'invalid_refresh_token', 'The refresh token is not valid.');
    end if;
    return jsonb_build_object(
        'status', 200,
        'claims', v_claims,
        'refresh_token', app_private.issue_refresh_token(
            v_token.user_id, v_token.restaurant_id, v_claims, v_token.family_id
        ),
        'body', '{}'::jsonb
    );
end;
$$;
comment on function api.refresh(text) is
'Rotate a refresh token for a new pair; reusing a spent one revokes its whole family.';
revoke all on function api.refresh(text) from public;
grant execute on function api.refresh(text) to anon, customer, staff, platform;
