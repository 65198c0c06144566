create or replace function auth.take_request_token(restaurant_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_wait integer;
begin
    -- Called by the API before the request's transaction (a GET's is read-only), with the
    -- tenant of the verified token; only the authenticator may call it, no request role.
    select app_private.rate_limit('api_' || r.plan, r.id::text) into v_wait
    from app.restaurants as r
    where r.id = take_request_token.restaurant_id;
    if v_wait > 0 then
        raise exception using errcode = 'BR429',
            message = 'This restaurant is over its plan''s request rate.',
            detail = 'retry_after=' || v_wait,
            hint = 'rate_limited';
    end if;
end;
$$;
comment on function auth.take_request_token(uuid) is
'Per-restaurant request rate limit by plan; raises rate_limited (429) with the wait.';
revoke all on function auth.take_request_token(uuid) from public;
grant execute on function auth.take_request_token(uuid) to authenticator;
