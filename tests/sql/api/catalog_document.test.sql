-- The menu document (api.menu, public): exactly the shape API.md gives, per level; live rows
-- only, in position order; 86 and time windows mark items unavailable without hiding them;
-- ?lang picks translations with fallback; the ETag answers If-None-Match.
begin;
\ir _fixtures/catalog.ddl
select plan(25);

-- The documents as a guest's phone gets them (anon), kept for the checks below.
create temporary table docs (branch text, lang text, etag text, doc jsonb);
grant select, insert on pg_temp.docs to anon;

select pg_temp.act_as('anon');
insert into pg_temp.docs
select
    k.branch,
    k.lang,
    m.etag,
    m.document::jsonb
from (values ('br_a1', null), ('br_a1', 'ar'), ('br_a2', null), ('br_b1', null)) as k (branch, lang)
cross join lateral api.menu(pg_temp.id(k.branch), k.lang) as m;
select pg_temp.act_as(null);

create function pg_temp.doc(branch text, lang text default null)
returns jsonb
language sql
stable
as $$
    select d.doc from pg_temp.docs as d
    where d.branch = doc.branch and d.lang is not distinct from doc.lang
$$;

-- Shape, level by level: the keys of API.md's menu document. image_url is an extra item
-- field (API.md allows extra fields); the test pins it so that a change is deliberate.
select is(
    array(
        select jsonb_object_keys(pg_temp.doc('br_a1'))
        order by 1
    ),
    array['branch_id', 'categories', 'currency', 'version'],
    'The document has exactly branch_id, currency, version and categories.'
);
select set_eq(
    $$select array(select jsonb_object_keys(c.value) order by 1)
    from jsonb_array_elements(pg_temp.doc('br_a1') -> 'categories') as c$$,
    $$values (array['id', 'items', 'name', 'position'])$$,
    'Every category has exactly id, name, position and items.'
);
select set_eq(
    $$select array(select jsonb_object_keys(i.value) order by 1)
    from jsonb_array_elements(pg_temp.doc('br_a1') -> 'categories') as c
    cross join jsonb_array_elements(c.value -> 'items') as i$$,
    $$values (array[
        'allergens', 'available', 'description', 'dietary', 'id', 'image_url',
        'modifier_groups', 'name', 'price'
    ])$$,
    'Every item has exactly id, name, description, price, available, allergens, dietary, '
    || 'modifier_groups (and image_url).'
);
select set_eq(
    $$select array(select jsonb_object_keys(g.value) order by 1)
    from jsonb_array_elements(pg_temp.doc('br_a1') -> 'categories') as c
    cross join jsonb_array_elements(c.value -> 'items') as i
    cross join jsonb_array_elements(i.value -> 'modifier_groups') as g$$,
    $$values (array['id', 'max_select', 'min_select', 'name', 'options'])$$,
    'Every modifier group has exactly id, name, min_select, max_select and options.'
);
select set_eq(
    $$select array(select jsonb_object_keys(o.value) order by 1)
    from jsonb_array_elements(pg_temp.doc('br_a1') -> 'categories') as c
    cross join jsonb_array_elements(c.value -> 'items') as i
    cross join jsonb_array_elements(i.value -> 'modifier_groups') as g
    cross join jsonb_array_elements(g.value -> 'options') as o$$,
    $$values (array['id', 'name', 'price_delta'])$$,
    'Every option has exactly id, name and price_delta.'
);
select is(
    pg_temp.doc('br_a1') - 'categories' - 'version',
    jsonb_build_object('branch_id', pg_temp.id('br_a1'), 'currency', 'EUR'),
    'The document names its branch and the restaurant''s currency.'
);
select is(
    jsonb_typeof(pg_temp.doc('br_a1') -> 'version'),
    'number',
    'The version is a number.'
);

-- Content: live rows only, in position order, every value typed as API.md says.
select is(
    array(
        select c.value ->> 'name'
        from jsonb_array_elements(pg_temp.doc('br_a1') -> 'categories') as c
    ),
    array['Mains', 'Desserts'],
    'The categories are the live ones of the restaurant, by position (a deleted one is left out).'
);
select is(
    pg_temp.doc('br_a1') #> '{categories,0,items,0}',
    jsonb_build_object(
        'id', pg_temp.id('it_a1'),
        'name', 'Chicken Shawarma',
        'description', 'Grilled chicken in bread',
        'price', 1800,
        'available', true,
        'allergens', jsonb_build_array('gluten'),
        'dietary', jsonb_build_array('halal'),
        'image_url', null,
        'modifier_groups', jsonb_build_array(jsonb_build_object(
            'id', pg_temp.id('mg_a'), 'name', 'Size', 'min_select', 1, 'max_select', 1,
            'options', jsonb_build_array(
                jsonb_build_object('id', pg_temp.id('op_a_small'), 'name', 'Small', 'price_delta', 0),
                jsonb_build_object('id', pg_temp.id('op_a_large'), 'name', 'Large', 'price_delta', 400)
            )
        ))
    ),
    'An item carries its price in minor units, its flags and its groups with options in order.'
);
select is(
    array(
        select i.value ->> 'name'
        from jsonb_array_elements(pg_temp.doc('br_a1') #> '{categories,0,items}') as i
    ),
    array['Chicken Shawarma', 'Hummus'],
    'The items of a category are the live ones, by position (a deleted one is left out).'
);
select is(
    pg_temp.doc('br_a1') #> '{categories,1,items}',
    '[]'::jsonb,
    'An empty category has an empty list of items.'
);
select is(
    pg_temp.doc('br_a1') #> '{categories,0,items,1,available}',
    'false'::jsonb,
    'The Hummus, 86ed at A1, stays on the menu of A1 with available false.'
);
select is(
    pg_temp.doc('br_a2') #> '{categories,0,items,1,available}',
    'true'::jsonb,
    'The same Hummus is available on the menu of A2.'
);
select is(
    array(
        select i.value ->> 'name'
        from jsonb_array_elements(pg_temp.doc('br_b1') -> 'categories') as c
        cross join jsonb_array_elements(c.value -> 'items') as i
    ),
    array['Steak Pie'],
    'The menu of B1 holds B''s item only, none of A''s.'
);

-- Languages: the translation where there is one, else the base text.
select is(
    array(
        select c.value ->> 'name'
        from jsonb_array_elements(pg_temp.doc('br_a1', 'ar') -> 'categories') as c
    ),
    array['أطباق رئيسية', 'Desserts'],
    'In Arabic the Mains are translated and the untranslated Desserts keep their base name.'
);
select is(
    array(
        select i.value ->> 'name'
        from jsonb_array_elements(pg_temp.doc('br_a1', 'ar') #> '{categories,0,items}') as i
    ),
    array['شاورما دجاج', 'Hummus'],
    'In Arabic the Chicken Shawarma is translated and the Hummus falls back to its base name.'
);
select is(
    (select m.etag from api.menu(pg_temp.id('br_a1'), 'fr') as m),
    (
        select d.etag from pg_temp.docs as d
        where d.branch = 'br_a1' and d.lang is null
    ),
    'A language nobody translated into is the restaurant''s own menu (same ETag).'
);
select throws_ok(
    $$select * from api.menu(pg_temp.id('br_a1'), 'arabic')$$,
    'BR422', 'lang must look like "en" or "ar".',
    'A malformed lang is validation_failed (BR422).'
);

-- ETag and If-None-Match.
select pg_temp.act_as('anon');
select results_eq(
    $$select m.etag, m.document from api.menu(pg_temp.id('br_a1'), null,
        (select d.etag from pg_temp.docs as d where d.branch = 'br_a1' and d.lang is null)) as m$$,
    $$select d.etag, null::text from pg_temp.docs as d where d.branch = 'br_a1' and d.lang is null$$,
    'If-None-Match with the current ETag gets the same ETag and no document (304).'
);
select pg_temp.act_as(null);

-- Time windows, on the wall clock of the restaurant (Europe/Paris): a breakfast window that
-- closed an hour ago makes the item unavailable; one around now makes it available.
update app.items
set
    available_from = ((now() at time zone 'Europe/Paris') - interval '3 hours')::time,
    available_until = ((now() at time zone 'Europe/Paris') - interval '1 hour')::time
where id = pg_temp.id('it_a1');
update app.items
set
    available_from = ((now() at time zone 'Europe/Paris') - interval '1 hour')::time,
    available_until = ((now() at time zone 'Europe/Paris') + interval '1 hour')::time
where id = pg_temp.id('it_a2');
select pg_temp.act_as('anon');
select results_eq(
    $$select i.value ->> 'name', (i.value ->> 'available')::boolean
    from api.menu(pg_temp.id('br_a2')) as m
    cross join jsonb_array_elements(m.document::jsonb #> '{categories,0,items}') as i$$,
    $$values ('Chicken Shawarma', false), ('Hummus', true)$$,
    'An item whose window closed is on the menu with available false; one in its window is available.'
);
select isnt(
    (select m.etag from api.menu(pg_temp.id('br_a2')) as m),
    (
        select d.etag from pg_temp.docs as d
        where d.branch = 'br_a2'
    ),
    'The changed windows gave the menu of A2 a new ETag.'
);
select pg_temp.act_as(null);
select ok(
    (
        select c.valid_until between now() and now() + interval '1 hour 1 minute'
        from app_private.menu_cache as c
        where c.branch_id = pg_temp.id('br_a2')
    ),
    'The rebuilt menu is cached only until the next window opens or closes (within the hour).'
);

-- Hidden categories and closed branches.
update app.categories set visible = false
where id = pg_temp.id('cat_a_empty');
select is(
    array(
        select c.value ->> 'name'
        from api.menu(pg_temp.id('br_a1')) as m
        cross join jsonb_array_elements(m.document::jsonb -> 'categories') as c
    ),
    array['Mains'],
    'A hidden category is left out of the menu.'
);
select pg_temp.act_as('anon');
select throws_ok(
    $$select * from api.menu(pg_temp.id('br_a3'))$$,
    'BR404', 'Menu not found.',
    'A deleted branch has no menu: not_found (BR404).'
);
select throws_ok(
    $$select * from api.menu(pg_temp.id('nope'))$$,
    'BR404', 'Menu not found.',
    'A branch that does not exist has no menu: not_found (BR404).'
);

select * from finish();
rollback;
