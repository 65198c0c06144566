-- api.create_modifier_group and list_modifier_groups: owners and managers add a group with
-- its options in one call (options in the order given); staff list them; min > max and other
-- bad input are validation_failed and write nothing.
begin;
\ir _fixtures/catalog.ddl
select plan(16);

create function pg_temp.counts()
returns integer[]
language sql
stable
as $$
    select array[
        (select count(*)::integer from app.modifier_groups),
        (select count(*)::integer from app.modifier_options)
    ]
$$;
create temporary table counts_before as select pg_temp.counts() as counts;

select pg_temp.act_as('owner_b');
select throws_ok(
    $$select api.create_modifier_group(pg_temp.id('r_a'), '{"name": "X", "options": [{"name": "Y"}]}')$$,
    'BR404', 'Restaurant not found.',
    'B''s owner adding a group to A gets not_found (BR404).'
);
select throws_ok(
    $$select api.list_modifier_groups(pg_temp.id('r_a'))$$,
    'BR404', 'Restaurant not found.',
    'B''s owner listing A''s groups gets not_found (BR404).'
);
select pg_temp.act_as('waiter_a');
select throws_ok(
    $$select api.create_modifier_group(pg_temp.id('r_a'), '{"name": "X", "options": [{"name": "Y"}]}')$$,
    'BR403', 'Only owners and managers edit the menu.',
    'A waiter cannot add a modifier group: forbidden (BR403).'
);
select is(
    (
        select array_agg(g ->> 'name')
        from jsonb_array_elements(api.list_modifier_groups(pg_temp.id('r_a')) -> 'items') as g
    ),
    array['Size'],
    'A waiter lists the live modifier groups of the restaurant (a deleted one is left out).'
);

select pg_temp.act_as('owner_a');
select throws_ok(
    $$select api.create_modifier_group(pg_temp.id('r_a'),
        '{"name": "Sides", "min_select": 2, "max_select": 1, "options": [{"name": "Rice"}, {"name": "Fries"}]}')$$,
    'BR422', 'min_select cannot be more than max_select.',
    'min_select above max_select is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_modifier_group(pg_temp.id('r_a'),
        '{"name": "Sides", "min_select": 2, "max_select": 3, "options": [{"name": "Rice"}]}')$$,
    'BR422', 'min_select is more than the number of options: nobody could order it.',
    'A group that asks for more options than it has is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_modifier_group(pg_temp.id('r_a'), '{"name": "Sides", "options": []}')$$,
    'BR422', 'options must be a list of 1 to 100 options ({name, price_delta}).',
    'A group without options is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_modifier_group(pg_temp.id('r_a'), '{"name": "Sides"}')$$,
    'BR422', 'options must be a list of 1 to 100 options ({name, price_delta}).',
    'A group whose options are missing is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_modifier_group(pg_temp.id('r_a'),
        '{"name": "Sides", "options": [{"name": "Rice"}, {"name": "Fries", "price_delta": 1.5}]}')$$,
    'BR422', 'price_delta must be a whole number from -100000000 to 100000000.',
    'An option priced in fractions is validation_failed (BR422), and the valid first option is not written.'
);
select throws_ok(
    $$select api.create_modifier_group(pg_temp.id('r_a'),
        '{"name": "Sides", "options": [{"name": "Rice", "colour": "white"}]}')$$,
    'BR422', 'Unknown field(s): colour.',
    'An option with an unknown field is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_modifier_group(pg_temp.id('r_a'),
        '{"name": "Sides", "max_select": 0, "options": [{"name": "Rice"}]}')$$,
    'BR422', 'max_select must be a whole number from 1 to 100.',
    'A group nobody can choose from (max_select 0) is validation_failed (BR422).'
);
select pg_temp.act_as(null);
select is(
    pg_temp.counts(), (select c.counts from pg_temp.counts_before as c),
    'After the refused calls no group and no option was written.'
);

select pg_temp.act_as('manager_a2');
select is(
    (
        select
            jsonb_build_object(
                'name', g ->> 'name', 'min', g -> 'min_select', 'max', g -> 'max_select',
                'translations', g -> 'translations'
            )
        from api.create_modifier_group(pg_temp.id('r_a'), '{
            "name": "Extras", "min_select": 0, "max_select": 2,
            "translations": {"ar": {"name": "إضافات"}},
            "options": [
                {"name": "Cheese", "price_delta": 150, "translations": {"ar": {"name": "جبنة"}}},
                {"name": "No onion", "price_delta": 0},
                {"name": "Truffle", "price_delta": 900, "available": false}
            ]
        }') as g
    ),
    '{"name": "Extras", "min": 0, "max": 2, "translations": {"ar": {"name": "إضافات"}}}'::jsonb,
    'A manager adds a group with its bounds and translation.'
);
select results_eq(
    $$select o.name, o.price_delta, o.position, o.available
    from app.modifier_options as o
    inner join app.modifier_groups as g on o.restaurant_id = g.restaurant_id and o.group_id = g.id
    where g.name = 'Extras'
    order by o.position$$,
    $$values ('Cheese', 150, 0, true), ('No onion', 0, 1, true), ('Truffle', 900, 2, false)$$,
    'Its options are created in the same call, in the order given, with their own availability.'
);
select is(
    (
        select g -> 'options' -> 0 -> 'translations'
        from jsonb_array_elements(api.list_modifier_groups(pg_temp.id('r_a')) -> 'items') as g
        where g ->> 'name' = 'Extras'
    ),
    '{"ar": {"name": "جبنة"}}'::jsonb,
    'The list shows each group with its options and their translations.'
);
select is(
    (
        select g -> 'min_select'
        from api.create_modifier_group(pg_temp.id('r_a'), '{"name": "Dip", "options": [{"name": "Garlic"}]}') as g
    ),
    '0'::jsonb,
    'Bounds default to choose at most one, none required.'
);

select * from finish();
rollback;
