-- The menu cache: every kind of catalog change marks exactly the cached menus it affects as
-- stale, in the same transaction. Restaurant A has menus cached for A1 (en, ar) and A2 (en);
-- restaurant B for B1 (en). A change of A's catalog touches every menu of A and none of B;
-- an 86 touches one branch; a refused change and a no-op touch nothing.
begin;
\ir _fixtures/catalog.ddl
select plan(25);

-- Fill the cache the way a guest's phone does, then check nothing is stale yet.
select api.menu(pg_temp.id('br_a1'));
select api.menu(pg_temp.id('br_a1'), 'ar');
select api.menu(pg_temp.id('br_a2'));
select api.menu(pg_temp.id('br_b1'));

-- Mark every cached menu fresh again (between the cases below).
create function pg_temp.refresh()
returns void
language sql
as $$
    update app_private.menu_cache set stale = false where stale
$$;

select is(
    (
        select array_agg(m.menu order by m.menu)
        from (
            select pg_temp.label(c.branch_id::text) || '/' || c.lang as menu
            from app_private.menu_cache as c
        ) as m
    ),
    array['br_a1/ar', 'br_a1/en', 'br_a2/en', 'br_b1/en'],
    'Four menus are cached: A1 in English and Arabic, A2 and B1 in English.'
);
select is(pg_temp.stale_menus(), '{}'::text[], 'Freshly built menus are not stale.');

-- Items.
select pg_temp.act_as('owner_a');
select api.create_item(
    pg_temp.id('r_a'), jsonb_build_object('category_id', pg_temp.id('cat_a'), 'name', 'Falafel', 'price', 700)
);
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en', 'br_a2/en'],
    'A new item marks every cached menu of A stale, and not B''s.'
);

select pg_temp.refresh();
select pg_temp.act_as('manager_a1');
select api.update_item(pg_temp.id('it_a1'), '{"price": 1900}');
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en', 'br_a2/en'],
    'A price change marks every cached menu of A stale (the price is the same at every branch).'
);

select pg_temp.refresh();
select pg_temp.act_as('owner_a');
select api.update_item(pg_temp.id('it_a2'), '{"translations": {"ar": {"name": "حمص"}}}');
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en', 'br_a2/en'],
    'A new translation marks every cached menu of A stale.'
);

select pg_temp.refresh();
select pg_temp.act_as('owner_a');
select api.update_item(
    pg_temp.id('it_a2'), '{"available_from": "07:00", "available_until": "11:00"}'
);
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en', 'br_a2/en'],
    'A new time window (schedule) marks every cached menu of A stale.'
);

select pg_temp.refresh();
select pg_temp.act_as('owner_a');
select api.update_item(pg_temp.id('it_a1'), '{"modifier_group_ids": []}');
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en', 'br_a2/en'],
    'Taking a modifier group off an item marks every cached menu of A stale.'
);

select pg_temp.refresh();
select pg_temp.act_as('owner_a');
select api.delete_item(pg_temp.id('it_a2'));
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en', 'br_a2/en'],
    'Deleting an item marks every cached menu of A stale.'
);

select pg_temp.refresh();
select pg_temp.act_as('owner_a');
select api.restore_item(pg_temp.id('it_a2'));
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en', 'br_a2/en'],
    'Restoring an item marks every cached menu of A stale.'
);

-- Categories.
select pg_temp.refresh();
select pg_temp.act_as('owner_a');
select api.create_category(pg_temp.id('r_a'), '{"name": "Grill"}');
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en', 'br_a2/en'],
    'A new category marks every cached menu of A stale.'
);

select pg_temp.refresh();
select pg_temp.act_as('owner_a');
select api.update_category(pg_temp.id('cat_a'), '{"translations": {"ar": {"name": "رئيسي"}}}');
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en', 'br_a2/en'],
    'Translating a category marks every cached menu of A stale.'
);

select pg_temp.refresh();
select pg_temp.act_as('owner_a');
select api.delete_category(pg_temp.id('cat_a_empty'));
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en', 'br_a2/en'],
    'Deleting a category marks every cached menu of A stale.'
);

-- Modifier groups and options (options have no API function of their own yet: direct writes).
select pg_temp.refresh();
select pg_temp.act_as('owner_a');
select api.create_modifier_group(
    pg_temp.id('r_a'), '{"name": "Sauce", "options": [{"name": "Garlic"}]}'
);
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en', 'br_a2/en'],
    'A new modifier group marks every cached menu of A stale.'
);

select pg_temp.refresh();
select pg_temp.act_as('owner_a');
update app.modifier_groups set max_select = 2
where id = pg_temp.id('mg_a');
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en', 'br_a2/en'],
    'Changing a modifier group marks every cached menu of A stale.'
);

select pg_temp.refresh();
select pg_temp.act_as('owner_a');
update app.modifier_options set price_delta = 450
where id = pg_temp.id('op_a_large');
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en', 'br_a2/en'],
    'Repricing a modifier option marks every cached menu of A stale.'
);

-- 86: one branch only.
select pg_temp.refresh();
select pg_temp.act_as('kitchen_a');
select api.set_item_availability(pg_temp.id('br_a1'), pg_temp.id('it_a1'), false);
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en'],
    'An 86 at A1 marks the menus of A1 stale and leaves A2''s and B1''s fresh.'
);

select pg_temp.refresh();
select pg_temp.act_as('waiter_a');
select api.set_item_availability(pg_temp.id('br_a1'), pg_temp.id('it_a1'), false);
select api.set_item_availability(pg_temp.id('br_a2'), pg_temp.id('it_a1'), true);
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), '{}'::text[],
    'Saying again what is already so (86 twice, available where it always was) touches nothing.'
);

select pg_temp.refresh();
select pg_temp.act_as('manager_a2');
select api.set_item_availability(pg_temp.id('br_a2'), pg_temp.id('it_a2'), false);
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a2/en'],
    'An 86 at A2 marks only the menu of A2 stale.'
);

select pg_temp.refresh();
select pg_temp.act_as('owner_a');
select api.set_item_availability(pg_temp.id('br_a1'), pg_temp.id('it_a1'), true);
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_a1/ar', 'br_a1/en'],
    'Bringing an item back at A1 marks only the menus of A1 stale.'
);

-- The other tenant: B's changes touch B's menu only.
select pg_temp.refresh();
select pg_temp.act_as('owner_b');
select api.update_item(pg_temp.id('it_b'), '{"price": 1300}');
select pg_temp.act_as(null);
select is(
    pg_temp.stale_menus(), array['br_b1/en'],
    'A price change in restaurant B marks only B''s menu stale.'
);

-- Refused changes touch nothing: the error undoes the trigger's work with the rest.
select pg_temp.refresh();
select pg_temp.act_as('owner_a');
select throws_ok(
    $$select api.update_item(pg_temp.id('it_a1'), '{"price": -5}')$$,
    'BR422', 'price must be a whole number from 0 to 100000000.',
    'A negative price is validation_failed (BR422).'
);
select throws_ok(
    $$select api.update_item(pg_temp.id('it_b'), '{"price": 5}')$$,
    'BR404', 'Item not found.',
    'The item of another restaurant is not_found (BR404).'
);
select pg_temp.act_as('waiter_a');
select throws_ok(
    $$select api.update_item(pg_temp.id('it_a1'), '{"price": 5}')$$,
    'BR403', 'Only owners and managers edit the menu.',
    'A waiter cannot reprice an item: forbidden (BR403).'
);
select pg_temp.act_as(null);
select is(pg_temp.stale_menus(), '{}'::text[], 'Refused changes mark no menu stale.');

-- A stale menu is rebuilt on the next read, with a new ETag.
select pg_temp.refresh();
create temporary table etag_before as
select c.etag from app_private.menu_cache as c
where c.branch_id = pg_temp.id('br_a1') and c.lang = 'en';
grant select on pg_temp.etag_before to anon;
select pg_temp.act_as('owner_a');
select api.update_item(pg_temp.id('it_a1'), '{"price": 2100}');
select pg_temp.act_as('anon');
select isnt(
    (select m.etag from api.menu(pg_temp.id('br_a1')) as m),
    (select e.etag from pg_temp.etag_before as e),
    'After a price change the next read rebuilds the menu of A1 with a new ETag.'
);

select * from finish();
rollback;
