create or replace function app_private.sha256(secret text)
returns bytea
language sql
immutable
strict
set search_path = ''
as $$
    select extensions.digest(secret, 'sha256')
$$;
comment on function app_private.sha256(text) is
'How high-entropy secrets (tokens, codes) are stored: looked up by hash, never kept in clear.';
revoke all on function app_private.sha256(text) from public;
