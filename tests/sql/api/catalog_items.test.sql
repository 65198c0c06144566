-- api.create_item, list_items, get_item, update_item, delete_item, restore_item: owners and
-- managers run the items of their restaurant; staff read them; another tenant's item is not
-- found. A body that names a category or modifier group the restaurant does not have (unknown,
-- deleted or another tenant's) is validation_failed (422), like branch_ids for staff: only the
-- object a route addresses answers 404. A refused call writes nothing.
begin;
\ir _fixtures/catalog.ddl
select plan(45);

create temporary table items_before as select * from app.items;
create temporary table links_before as select * from app.item_modifier_groups;
create function pg_temp.catalog_changed()
returns boolean
language sql
stable
as $$
    select exists (
        (select * from app.items except select * from pg_temp.items_before)
        union all
        (select * from pg_temp.items_before except select * from app.items)
    ) or exists (
        (select * from app.item_modifier_groups except select * from pg_temp.links_before)
        union all
        (select * from pg_temp.links_before except select * from app.item_modifier_groups)
    )
$$;

-- A valid body, for the cases that change one thing in it.
create function pg_temp.body(changes jsonb default '{}')
returns jsonb
language sql
stable
as $$
    select jsonb_build_object(
        'category_id', pg_temp.id('cat_a'), 'name', 'Lamb Kofta', 'price', 1600
    ) || changes
$$;

-- Another tenant: not found, never forbidden.
select pg_temp.act_as('owner_b');
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'), pg_temp.body())$$,
    'BR404', 'Restaurant not found.',
    'B''s owner adding an item to A gets not_found (BR404).'
);
select throws_ok(
    $$select api.list_items(pg_temp.id('r_a'))$$,
    'BR404', 'Restaurant not found.',
    'B''s owner listing A''s items gets not_found (BR404).'
);
select throws_ok(
    $$select api.get_item(pg_temp.id('it_a1'))$$,
    'BR404', 'Item not found.',
    'B''s owner reading A''s item gets not_found (BR404).'
);
select throws_ok(
    $$select api.update_item(pg_temp.id('it_a1'), '{"price": 1}')$$,
    'BR404', 'Item not found.',
    'B''s owner repricing A''s item gets not_found (BR404).'
);
select throws_ok(
    $$select api.delete_item(pg_temp.id('it_a1'))$$,
    'BR404', 'Item not found.',
    'B''s owner deleting A''s item gets not_found (BR404).'
);
select throws_ok(
    $$select api.restore_item(pg_temp.id('it_a_gone'))$$,
    'BR404', 'Item not found.',
    'B''s owner restoring A''s item gets not_found (BR404).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_b'),
        jsonb_build_object('category_id', pg_temp.id('cat_a'), 'name', 'Smuggled', 'price', 1))$$,
    'BR422', 'category_id names an unknown category.',
    'B''s owner cannot put an item of B into A''s category: validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_b'), jsonb_build_object('category_id', pg_temp.id('cat_b'),
        'name', 'Smuggled', 'price', 1, 'modifier_group_ids', jsonb_build_array(pg_temp.id('mg_a'))))$$,
    'BR422', 'modifier_group_ids names an unknown modifier group.',
    'B''s owner cannot offer A''s modifier group: validation_failed (BR422).'
);

-- Staff other than owners and managers read the menu but do not edit it.
select pg_temp.act_as('waiter_a');
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'), pg_temp.body())$$,
    'BR403', 'Only owners and managers edit the menu.',
    'A waiter cannot add an item: forbidden (BR403).'
);
select throws_ok(
    $$select api.update_item(pg_temp.id('it_a1'), '{"price": 1}')$$,
    'BR403', 'Only owners and managers edit the menu.',
    'A waiter cannot reprice an item: forbidden (BR403).'
);
select throws_ok(
    $$select api.delete_item(pg_temp.id('it_a1'))$$,
    'BR403', 'Only owners and managers edit the menu.',
    'A waiter cannot delete an item: forbidden (BR403).'
);
select pg_temp.act_as('kitchen_a');
select throws_ok(
    $$select api.restore_item(pg_temp.id('it_a_gone'))$$,
    'BR403', 'Only owners and managers edit the menu.',
    'The kitchen cannot restore an item: forbidden (BR403).'
);
select is(
    api.get_item(pg_temp.id('it_a1')) ->> 'name',
    'Chicken Shawarma',
    'The kitchen reads an item of its restaurant.'
);

-- Bad input, each with its message.
select pg_temp.act_as('owner_a');
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'), pg_temp.body('{"price": -100}'))$$,
    'BR422', 'price must be a whole number from 0 to 100000000.',
    'A negative price is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'), pg_temp.body('{"price": 12.5}'))$$,
    'BR422', 'price must be a whole number from 0 to 100000000.',
    'A price that is not in minor units (a fraction) is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'), pg_temp.body('{"spicy": true}'))$$,
    'BR422', 'Unknown field(s): spicy.',
    'An unknown field is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'), pg_temp.body() - 'category_id')$$,
    'BR422', 'category_id is required.',
    'An item without a category is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'), pg_temp.body('{"category_id": "mains"}'))$$,
    'BR422', 'category_id must be an id.',
    'A category_id that is not an id is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'),
        pg_temp.body(jsonb_build_object('category_id', pg_temp.id('cat_b'))))$$,
    'BR422', 'category_id names an unknown category.',
    'A category of another restaurant is validation_failed (BR422), as unknown as one that never was.'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'),
        pg_temp.body(jsonb_build_object('category_id', pg_temp.id('cat_a_gone'))))$$,
    'BR422', 'category_id names an unknown category.',
    'A deleted category is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'), pg_temp.body(jsonb_build_object(
        'modifier_group_ids', jsonb_build_array(pg_temp.id('mg_a'), pg_temp.id('mg_a')))))$$,
    'BR422', 'modifier_group_ids lists a modifier group more than once.',
    'A modifier group linked twice is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'), pg_temp.body(jsonb_build_object(
        'modifier_group_ids', jsonb_build_array(pg_temp.id('mg_b')))))$$,
    'BR422', 'modifier_group_ids names an unknown modifier group.',
    'A modifier group of another restaurant is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'), pg_temp.body(jsonb_build_object(
        'modifier_group_ids', jsonb_build_array(pg_temp.id('mg_a_gone')))))$$,
    'BR422', 'modifier_group_ids names an unknown modifier group.',
    'A deleted modifier group is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'), pg_temp.body('{"available_from": "07:00"}'))$$,
    'BR422', 'available_from and available_until go together: give both or neither.',
    'Only one end of a time window is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'),
        pg_temp.body('{"available_from": "7am", "available_until": "11:00"}'))$$,
    'BR422', 'available_from must be a time of day like "07:00" (24-hour clock).',
    'A time of day in another format is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'),
        pg_temp.body('{"available_from": "11:00", "available_until": "11:00"}'))$$,
    'BR422', 'available_from and available_until must differ.',
    'An empty time window is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'),
        pg_temp.body('{"translations": {"ar": {"name": "كفتة", "price": "1"}}}'))$$,
    'BR422', 'translations.ar: unknown field price (translatable: name, description).',
    'A translation of something that is not a text is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'),
        pg_temp.body('{"translations": {"ar": {"name": ""}}}'))$$,
    'BR422', 'translations.ar.name must be a non-blank string of at most 160 characters.',
    'A blank translated name is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'), pg_temp.body('{"allergens": "nuts"}'))$$,
    'BR422', 'allergens must be a list of at most 20 non-blank strings of at most 40 characters.',
    'Allergens that are not a list are validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_item(pg_temp.id('r_a'),
        pg_temp.body('{"image_url": "http://example.com/kofta.jpg"}'))$$,
    'BR422', 'image_url must be an https:// URL.',
    'An image that is not served over https is validation_failed (BR422).'
);
select throws_ok(
    $$select api.update_item(pg_temp.id('it_a1'), '{"available_from": "06:00"}')$$,
    'BR422', 'available_from and available_until go together: give both or neither.',
    'Giving an item without a window only its start is validation_failed (BR422).'
);
select throws_ok(
    $$select api.update_item(pg_temp.id('it_a_gone'), '{"price": 1}')$$,
    'BR404', 'Item not found.',
    'A deleted item is not_found for edits (BR404): restore it first.'
);

select pg_temp.act_as(null);
select ok(not pg_temp.catalog_changed(), 'After the refused calls no item and no link changed.');

-- The allowed calls (results kept in tables made here: request roles cannot create tables).
create temporary table created (item jsonb);
create temporary table group_two (g jsonb);
grant select, insert on pg_temp.created, pg_temp.group_two to staff;
select pg_temp.act_as('manager_a1');
insert into pg_temp.created (item)
select api.create_item(pg_temp.id('r_a'), pg_temp.body(jsonb_build_object(
    'description', 'Grilled lamb',
    'translations', '{"ar": {"name": "كفتة لحم", "description": "لحم مشوي"}}'::jsonb,
    'allergens', '["sesame", "sesame", "mustard"]'::jsonb,
    'dietary', '["halal"]'::jsonb,
    'modifier_group_ids', jsonb_build_array(pg_temp.id('mg_a')),
    'available_from', '11:30',
    'available_until', '15:00',
    'image_url', 'https://cdn.example.com/kofta.jpg',
    'position', 3
)));
select pg_temp.act_as(null);
select is(
    (select c.item - 'id' - 'created_at' - 'updated_at' from pg_temp.created as c),
    jsonb_build_object(
        'restaurant_id', pg_temp.id('r_a'),
        'category_id', pg_temp.id('cat_a'),
        'name', 'Lamb Kofta',
        'description', 'Grilled lamb',
        'price', 1600,
        'translations', '{"ar": {"name": "كفتة لحم", "description": "لحم مشوي"}}'::jsonb,
        'allergens', '["sesame", "mustard"]'::jsonb,
        'dietary', '["halal"]'::jsonb,
        'modifier_group_ids', jsonb_build_array(pg_temp.id('mg_a')),
        'available_from', '11:30:00',
        'available_until', '15:00:00',
        'image_url', 'https://cdn.example.com/kofta.jpg',
        'position', 3,
        'deleted_at', null
    ),
    'A manager adds an item with everything; repeated allergens are kept once.'
);
select ok(
    (
        select i.search @@ to_tsquery('simple', 'كفتة')
        from app.items as i
        where i.id = (select (c.item ->> 'id')::uuid from pg_temp.created as c)
    ),
    'The new item is searchable by its Arabic name.'
);

select pg_temp.act_as('owner_a');
insert into pg_temp.group_two (g)
select api.create_modifier_group(
    pg_temp.id('r_a'), '{"name": "Bread", "options": [{"name": "Pita"}]}'
);
select is(
    api.update_item(
        (select (c.item ->> 'id')::uuid from pg_temp.created as c),
        jsonb_build_object(
            'price', 1750,
            'modifier_group_ids', jsonb_build_array((select g ->> 'id' from pg_temp.group_two), pg_temp.id('mg_a')),
            'available_from', null,
            'available_until', null,
            'description', null,
            'allergens', null
        )
    ) - 'id' - 'created_at' - 'updated_at' - 'translations' - 'dietary' - 'image_url'
    - 'restaurant_id' - 'category_id' - 'position' - 'deleted_at',
    jsonb_build_object(
        'name', 'Lamb Kofta',
        'description', '',
        'price', 1750,
        'allergens', '[]'::jsonb,
        'modifier_group_ids', jsonb_build_array((select g -> 'id' from pg_temp.group_two), pg_temp.id('mg_a')),
        'available_from', null,
        'available_until', null
    ),
    'An owner reprices an item, reorders its groups and clears its window, description and allergens.'
);
select is(
    api.update_item(pg_temp.id('it_a2'), jsonb_build_object('category_id', pg_temp.id('cat_a_empty')))
    ->> 'category_id',
    pg_temp.id('cat_a_empty')::text,
    'An owner moves an item to another category of the restaurant.'
);

-- Soft delete and restore.
select lives_ok(
    $$select api.delete_item(pg_temp.id('it_a1'))$$,
    'An owner deletes an item.'
);
select isnt(
    api.get_item(pg_temp.id('it_a1')) ->> 'deleted_at',
    null,
    'The delete is soft: the item is still readable, with deleted_at set.'
);
select ok(
    not exists (
        select 1 from jsonb_array_elements(api.list_items(pg_temp.id('r_a'), 200) -> 'items') as i
        where i ->> 'id' = pg_temp.id('it_a1')::text
    ),
    'A deleted item is left out of the list.'
);
select throws_ok(
    $$select api.delete_item(pg_temp.id('it_a1'))$$,
    'BR404', 'Item not found.',
    'Deleting it again is not_found (BR404).'
);
select is(
    api.restore_item(pg_temp.id('it_a1')) -> 'deleted_at',
    'null'::jsonb,
    'Restoring brings the item back.'
);
select is(
    api.restore_item(pg_temp.id('it_a1')) ->> 'name',
    'Chicken Shawarma',
    'Restoring a live item again is harmless.'
);
select pg_temp.act_as(null);
update app.items set category_id = pg_temp.id('cat_a_gone')
where id = pg_temp.id('it_a_gone');
select pg_temp.act_as('owner_a');
select throws_ok(
    $$select api.restore_item(pg_temp.id('it_a_gone'))$$,
    'BR409', 'The item''s category was deleted, so the item cannot come back to the menu.',
    'An item whose category was deleted cannot be restored: category_deleted (BR409).'
);
select is(
    (
        select array_agg(i ->> 'name' order by i ->> 'name')
        from jsonb_array_elements(api.list_items(pg_temp.id('r_a')) -> 'items') as i
    ),
    array['Chicken Shawarma', 'Hummus', 'Lamb Kofta'],
    'The list holds the live items of the restaurant.'
);

select * from finish();
rollback;
