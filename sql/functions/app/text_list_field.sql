create or replace function app.text_list_field(
    body jsonb, key text, max_items integer, max_length integer
)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_value jsonb := body -> text_list_field.key;
begin
    if v_value is null or v_value = 'null'::jsonb then
        return null;
    end if;
    if pg_catalog.jsonb_typeof(v_value) <> 'array'
        or pg_catalog.jsonb_array_length(v_value) > max_items
        or exists (
            select 1
            from pg_catalog.jsonb_array_elements(v_value) as e (item)
            where
                pg_catalog.jsonb_typeof(e.item) <> 'string'
                or pg_catalog.btrim(e.item #>> '{}') = ''
                or pg_catalog.length(e.item #>> '{}') > max_length
        ) then
        raise exception using errcode = 'BR422',
            message = pg_catalog.format(
                '%s must be a list of at most %s non-blank strings of at most %s characters.',
                text_list_field.key, max_items, max_length
            ),
            hint = 'validation_failed';
    end if;
    -- Duplicates are dropped; the first mention keeps its place.
    return array(
        select e.item #>> '{}'
        from pg_catalog.jsonb_array_elements(v_value) with ordinality as e (item, n)
        group by e.item #>> '{}'
        order by min(e.n)
    );
end;
$$;
comment on function app.text_list_field(jsonb, text, integer, integer) is
'A list-of-strings field of a request body (allergens, dietary flags), checked and de-duplicated.';
revoke all on function app.text_list_field(jsonb, text, integer, integer) from public;
grant execute on function app.text_list_field(jsonb, text, integer, integer)
to staff, platform, customer;
