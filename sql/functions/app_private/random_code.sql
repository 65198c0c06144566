create or replace function app_private.random_code(length integer default 10)
returns text
language sql
volatile
set search_path = ''
as $$
    -- Crockford-style alphabet: no 0/O or 1/I/L to misread when typed from a screen.
    select string_agg(
        substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', (get_byte(b.bytes, i) % 31) + 1, 1), ''
    )
    from (select extensions.gen_random_bytes(random_code.length) as bytes) as b,
        generate_series(0, random_code.length - 1) as i
$$;
comment on function app_private.random_code(integer) is
'A short human-typable activation code (31 symbols, about 5 bits each).';
revoke all on function app_private.random_code(integer) from public;
