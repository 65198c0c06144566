create or replace function app_private.totp_code(secret bytea, step bigint)
returns text
language plpgsql
immutable
strict
set search_path = ''
as $$
declare
    v_mac bytea := extensions.hmac(int8send(step), secret, 'sha1');
    v_offset integer := get_byte(v_mac, 19) & 15;
    v_binary bigint;
begin
    -- RFC 4226 dynamic truncation of HMAC-SHA1 over the time step (RFC 6238).
    v_binary := ((get_byte(v_mac, v_offset) & 127)::bigint << 24)
        | (get_byte(v_mac, v_offset + 1)::bigint << 16)
        | (get_byte(v_mac, v_offset + 2)::bigint << 8)
        | get_byte(v_mac, v_offset + 3)::bigint;
    return lpad((v_binary % 1000000)::text, 6, '0');
end;
$$;
comment on function app_private.totp_code(bytea, bigint) is
'The 6-digit TOTP code of a raw secret for one 30-second step (RFC 6238, SHA1).';
revoke all on function app_private.totp_code(bytea, bigint) from public;
