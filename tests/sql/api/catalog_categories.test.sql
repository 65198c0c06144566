-- api.create_category, list_categories, update_category, delete_category: owners and managers
-- run the categories of their restaurant; every staff member lists them; another tenant's are
-- not found; bad input is validation_failed; a refused call writes nothing.
begin;
\ir _fixtures/catalog.ddl
select plan(27);

create temporary table categories_before as select * from app.categories;
create function pg_temp.categories_changed()
returns boolean
language sql
stable
as $$
    select exists (
        (select * from app.categories except select * from pg_temp.categories_before)
        union all
        (select * from pg_temp.categories_before except select * from app.categories)
    )
$$;

-- Another tenant: not found, never forbidden (existence must not leak).
select pg_temp.act_as('owner_b');
select throws_ok(
    $$select api.create_category(pg_temp.id('r_a'), '{"name": "Stolen"}')$$,
    'BR404', 'Restaurant not found.',
    'B''s owner adding a category to A gets not_found (BR404).'
);
select throws_ok(
    $$select api.list_categories(pg_temp.id('r_a'))$$,
    'BR404', 'Restaurant not found.',
    'B''s owner listing A''s categories gets not_found (BR404).'
);
select throws_ok(
    $$select api.update_category(pg_temp.id('cat_a'), '{"name": "Mine"}')$$,
    'BR404', 'Category not found.',
    'B''s owner renaming A''s category gets not_found (BR404).'
);
select throws_ok(
    $$select api.delete_category(pg_temp.id('cat_a_empty'))$$,
    'BR404', 'Category not found.',
    'B''s owner deleting A''s category gets not_found (BR404).'
);

-- A waiter and the kitchen read the menu but do not edit it.
select pg_temp.act_as('waiter_a');
select throws_ok(
    $$select api.create_category(pg_temp.id('r_a'), '{"name": "Grill"}')$$,
    'BR403', 'Only owners and managers edit the menu.',
    'A waiter cannot add a category: forbidden (BR403).'
);
select throws_ok(
    $$select api.update_category(pg_temp.id('cat_a'), '{"name": "Plates"}')$$,
    'BR403', 'Only owners and managers edit the menu.',
    'A waiter cannot rename a category: forbidden (BR403).'
);
select pg_temp.act_as('kitchen_a');
select throws_ok(
    $$select api.delete_category(pg_temp.id('cat_a_empty'))$$,
    'BR403', 'Only owners and managers edit the menu.',
    'The kitchen cannot delete a category: forbidden (BR403).'
);
select is(
    (
        select array_agg(c ->> 'name' order by c ->> 'name')
        from jsonb_array_elements(api.list_categories(pg_temp.id('r_a')) -> 'items') as c
    ),
    array['Desserts', 'Mains'],
    'The kitchen lists the live categories of its restaurant (a deleted one is left out).'
);

-- Bad input.
select pg_temp.act_as('owner_a');
select throws_ok(
    $$select api.create_category(pg_temp.id('r_a'), '{"name": "Grill", "colour": "red"}')$$,
    'BR422', 'Unknown field(s): colour.',
    'An unknown field is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_category(pg_temp.id('r_a'), '{"position": 1}')$$,
    'BR422', 'name is required.',
    'A category without a name is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_category(pg_temp.id('r_a'), '{"name": "Grill", "position": -1}')$$,
    'BR422', 'position must be a whole number from 0 to 1000000.',
    'A negative position is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_category(pg_temp.id('r_a'),
        '{"name": "Grill", "translations": {"ar": "مشاوي"}}')$$,
    'BR422', 'translations.ar must be an object with name.',
    'A translation that is not an object is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_category(pg_temp.id('r_a'),
        '{"name": "Grill", "translations": {"arabic": {"name": "مشاوي"}}}')$$,
    'BR422', 'translations: "arabic" is not a language code like "en", "ar" or "pt-BR".',
    'A translation under something that is not a language code is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_category(pg_temp.id('r_a'),
        '{"name": "Grill", "translations": {"ar": {"description": "..."}}}')$$,
    'BR422', 'translations.ar: unknown field description (translatable: name).',
    'A category translates its name only: a description is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_category(pg_temp.id('r_a'), '{"name": "Grill", "translations": []}')$$,
    'BR422', 'translations must be an object by language, like {"ar": {"name": "..."}}.',
    'Translations that are not an object are validation_failed (BR422).'
);
select throws_ok(
    $$select api.update_category(pg_temp.id('cat_a'), '{"name": null}')$$,
    'BR422', 'name is required.',
    'Clearing the name of a category is validation_failed (BR422).'
);
select throws_ok(
    $$select api.delete_category(pg_temp.id('cat_a'))$$,
    'BR409', 'The category still has items: move or delete them first.',
    'A category with live items cannot be deleted: category_not_empty (BR409).'
);
select throws_ok(
    $$select api.update_category(pg_temp.id('cat_a_gone'), '{"name": "Back"}')$$,
    'BR404', 'Category not found.',
    'A deleted category is not_found for edits (BR404).'
);

select pg_temp.act_as(null);
select ok(not pg_temp.categories_changed(), 'After the refused calls no category changed.');

-- The allowed calls.
select pg_temp.act_as('manager_a2');
select is(
    api.create_category(
        pg_temp.id('r_a'),
        '{"name": "Grill", "position": 4, "translations": {"ar": {"name": "مشاوي"}}}'
    ) - 'id' - 'created_at' - 'updated_at',
    jsonb_build_object(
        'restaurant_id', pg_temp.id('r_a'), 'name', 'Grill', 'position', 4,
        'translations', '{"ar": {"name": "مشاوي"}}'::jsonb, 'visible', true, 'deleted_at', null
    ),
    'A manager adds a category with its Arabic name; it is visible by default.'
);
select is(
    api.update_category(
        pg_temp.id('cat_a'), '{"name": "Plates", "visible": false, "translations": null}'
    ) - 'id' - 'created_at' - 'updated_at',
    jsonb_build_object(
        'restaurant_id', pg_temp.id('r_a'), 'name', 'Plates', 'position', 1,
        'translations', '{}'::jsonb, 'visible', false, 'deleted_at', null
    ),
    'A manager renames and hides a category; translations null clears them.'
);
select lives_ok(
    $$select api.delete_category(pg_temp.id('cat_a_empty'))$$,
    'A manager deletes an empty category.'
);
select pg_temp.act_as(null);
select isnt(
    (
        select c.deleted_at from app.categories as c
        where c.id = pg_temp.id('cat_a_empty')
    ),
    null,
    'The delete is soft: the row stays, with deleted_at set.'
);
select pg_temp.act_as('owner_a');
select throws_ok(
    $$select api.delete_category(pg_temp.id('cat_a_empty'))$$,
    'BR404', 'Category not found.',
    'Deleting it again is not_found (BR404).'
);

-- Pagination: keyset by id, one page at a time.
select api.create_category(pg_temp.id('r_a'), jsonb_build_object('name', 'Extra ' || n))
from generate_series(1, 3) as n;
select is(
    jsonb_array_length(api.list_categories(pg_temp.id('r_a'), 2) -> 'items'),
    2,
    'A page holds at most limit categories.'
);
select is(
    (
        with recursive pages (page, n) as (
            select
                api.list_categories(pg_temp.id('r_a'), 2),
                1
            union all
            select
                api.list_categories(pg_temp.id('r_a'), 2, (p.page ->> 'next_cursor')::uuid),
                p.n + 1
            from pages as p
            where p.page ->> 'next_cursor' is not null
        )

        select array_agg(i ->> 'name' order by i ->> 'id')
        from pages as p
        cross join jsonb_array_elements(p.page -> 'items') as i
    ),
    (
        select array_agg(c.name order by c.id) from app.categories as c
        where c.restaurant_id = pg_temp.id('r_a') and c.deleted_at is null
    ),
    'Following next_cursor lists every live category exactly once.'
);
select throws_ok(
    $$select api.list_categories(pg_temp.id('r_a'), 0)$$,
    'BR422', 'limit must be from 1 to 200.',
    'A limit of 0 is validation_failed (BR422).'
);

select * from finish();
rollback;
