create or replace function app_private.base32_decode(encoded text)
returns bytea
language plpgsql
immutable
strict
set search_path = ''
as $$
declare
    v_alphabet constant text := 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    v_clean text := upper(replace(rtrim(encoded, '='), ' ', ''));
    v_bits text := '';
    v_out bytea := '';
    v_value integer;
begin
    for i in 1..length(v_clean) loop
        v_value := strpos(v_alphabet, substr(v_clean, i, 1)) - 1;
        if v_value < 0 then
            raise exception using errcode = 'BR422', message = 'Not a base32 secret.',
                hint = 'validation_failed';
        end if;
        v_bits := v_bits || lpad(v_value::bit(5)::text, 5, '0');
    end loop;
    for i in 0..(length(v_bits) / 8) - 1 loop
        v_out := v_out || set_byte('\x00'::bytea, 0, substr(v_bits, i * 8 + 1, 8)::bit(8)::integer);
    end loop;
    return v_out;
end;
$$;
comment on function app_private.base32_decode(text) is
'Decodes the base32 TOTP secret that authenticator apps are given (RFC 4648).';
revoke all on function app_private.base32_decode(text) from public;
