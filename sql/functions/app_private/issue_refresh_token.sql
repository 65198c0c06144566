create or replace function app_private.issue_refresh_token(
    user_id uuid, restaurant_id uuid, claims jsonb, family_id uuid default null
)
returns text
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_token text := app_private.random_token(32);
begin
    insert into app_private.refresh_tokens (
        family_id, token_hash, user_id, restaurant_id, claims, expires_at
    )
    values (
        coalesce(issue_refresh_token.family_id, app.uuid7()),
        app_private.sha256(v_token),
        issue_refresh_token.user_id,
        issue_refresh_token.restaurant_id,
        issue_refresh_token.claims,
        now() + interval '30 days'
    );
    return v_token;
end;
$$;
comment on function app_private.issue_refresh_token(uuid, uuid, jsonb, uuid) is
'Stores a new refresh token (hashed) in a family and returns it once, in clear.';
revoke all on function app_private.issue_refresh_token(uuid, uuid, jsonb, uuid) from public;
