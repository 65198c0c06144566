create or replace function app_private.random_token(bytes integer default 32)
returns text
language sql
volatile
set search_path = ''
as $$
    select rtrim(translate(encode(extensions.gen_random_bytes(bytes), 'base64'), '+/', '-_'), '=')
$$;
comment on function app_private.random_token(integer) is
'A URL-safe random secret for refresh and device tokens.';
revoke all on function app_private.random_token(integer) from public;
