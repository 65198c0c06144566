create or replace function app.modifier_group_ids_field(restaurant_id uuid, body jsonb)
returns uuid[]
language plpgsql
stable
set search_path = ''
as $$
declare
    v_distinct uuid [] := app.uuid_list_field(body, 'modifier_group_ids');
    v_ids uuid [];
begin
    -- The groups an item offers, in the order the client listed them (that is their position).
    if v_distinct is null then
        return null;
    end if;
    v_ids := array(
        select (e.item #>> '{}')::uuid
        from pg_catalog.jsonb_array_elements(body -> 'modifier_group_ids') with ordinality as e (item, n)
        order by e.n
    );
    if pg_catalog.cardinality(v_ids) <> pg_catalog.cardinality(v_distinct) then
        raise exception using errcode = 'BR422',
            message = 'modifier_group_ids lists a modifier group more than once.',
            hint = 'validation_failed';
    end if;
    if pg_catalog.cardinality(v_ids) > 20 then
        raise exception using errcode = 'BR422',
            message = 'modifier_group_ids may list at most 20 modifier groups.',
            hint = 'validation_failed';
    end if;
    -- Another restaurant's group is as unknown as one that never existed (RLS hides it too).
    if exists (
        select 1
        from pg_catalog.unnest(v_ids) as wanted (id)
        where not exists (
            select 1
            from app.modifier_groups as g
            where
                g.restaurant_id = modifier_group_ids_field.restaurant_id
                and g.id = wanted.id
                and g.deleted_at is null
        )
    ) then
        raise exception using errcode = 'BR422',
            message = 'modifier_group_ids names an unknown modifier group.',
            hint = 'validation_failed';
    end if;
    return v_ids;
end;
$$;
comment on function app.modifier_group_ids_field(uuid, jsonb) is
'The modifier_group_ids of an item body, checked: ids of live groups of the restaurant, no repeats.';
revoke all on function app.modifier_group_ids_field(uuid, jsonb) from public;
grant execute on function app.modifier_group_ids_field(uuid, jsonb) to staff;
