create or replace function app.page_json(items jsonb, lim integer)
returns jsonb
language sql
immutable
set search_path = ''
as $$
    -- items holds up to lim + 1 objects in id order: the extra one only says "there is more".
    select case
        when pg_catalog.jsonb_array_length(items) > lim then
            pg_catalog.jsonb_build_object(
                'items', items - lim,
                'next_cursor', items -> (lim - 1) -> 'id'
            )
        else pg_catalog.jsonb_build_object('items', items, 'next_cursor', null)
    end
$$;
comment on function app.page_json(jsonb, integer) is
'One page of a keyset-paginated list: {items, next_cursor}, next_cursor null on the last page.';
revoke all on function app.page_json(jsonb, integer) from public;
grant execute on function app.page_json(jsonb, integer) to staff, platform, customer;
