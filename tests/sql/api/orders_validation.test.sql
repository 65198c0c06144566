-- api.place_order checks every line against the catalog before anything is written: modifier
-- rules (min/max per group, options the item offers, available options, duplicates counted
-- once), availability (86 at the branch, deleted items, hidden or deleted categories, serving
-- windows) and the shape of the body (quantity, note, course, 1 to 100 lines). A refusal
-- names its code and leaves nothing behind; each refusal has an accepted neighbour.
begin;
\ir _fixtures/orders.ddl
select plan(45);

create temporary table state_before as select pg_temp.order_state() as digest;

select pg_temp.act_as('customer_s1');

-- Modifier groups of Chicken Shawarma: Size (1..1: Small 0, Large 400), Extras (0..2:
-- Cheese 150, Garlic 50, Chili 0, Truffle 900 unavailable); Old sauces is deleted.
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a1')))$$,
    'BR422', 'items[1]: choose the allowed number of options for Size.',
    'Too few options (no Size) is validation_failed (BR422) naming the group.'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a_cola'), pg_temp.line('it_a1', 1, '{op_a_small,op_a_large}')
    ))$$,
    'BR422', 'items[2]: choose the allowed number of options for Size.',
    'Too many options (two sizes) is validation_failed (BR422) naming the group and the line.'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a1', 1, '{op_a_small,op_a_cheese,op_a_garlic,op_a_chili}')
    ))$$,
    'BR422', 'items[1]: choose the allowed number of options for Extras.',
    'Three extras where two are allowed is validation_failed (BR422) naming Extras.'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a1', 1, '{op_a_small,op_a_ice}')
    ))$$,
    'BR422', 'items[1].option_ids names an option Chicken Shawarma does not offer.',
    'An option of another item (the cola''s ice) is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a1', 1, '{op_a_small,op_b}')
    ))$$,
    'BR422', 'items[1].option_ids names an option Chicken Shawarma does not offer.',
    'An option of another tenant is validation_failed (BR422), like an unknown one.'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a1', 1, '{op_a_small,op_a_old_sauce}')
    ))$$,
    'BR422', 'items[1].option_ids names an option Chicken Shawarma does not offer.',
    'An option of a deleted group is no longer offered: validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a1', 1, '{op_a_small,op_a_truffle}')
    ))$$,
    'BR409', 'Truffle is not available now.',
    'An unavailable option is item_unavailable (BR409).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a1', 1, '{op_a_small}', '{"option_ids": ["not-a-uuid"]}')
    ))$$,
    'BR422', 'option_ids must be a list of ids.',
    'option_ids that are not ids are validation_failed (BR422).'
);

-- Availability.
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a2')))$$,
    'BR409', 'Hummus is not available now.',
    'An item 86''d at the branch is item_unavailable (BR409).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_gone')))$$,
    'BR409', 'Retired Kebab is not available now.',
    'A deleted item is item_unavailable (BR409).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_secret')))$$,
    'BR409', 'Family meal is not available now.',
    'An item of a hidden category is item_unavailable (BR409).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_old')))$$,
    'BR409', 'Old special is not available now.',
    'An item of a deleted category is item_unavailable (BR409).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_later')))$$,
    'BR409', 'Late breakfast is not available now.',
    'An item outside its serving window (from in 2 h) is item_unavailable (BR409).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a_cola'), pg_temp.line('it_a_now'), pg_temp.line('it_a2')
    ))$$,
    'BR409', 'Hummus is not available now.',
    'One unavailable line refuses the whole order (item_unavailable, BR409).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('nope')))$$,
    'BR422', 'items[1].item_id names an unknown item.',
    'An unknown item is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_b')))$$,
    'BR422', 'items[1].item_id names an unknown item.',
    'Another tenant''s item is validation_failed (BR422), exactly like an unknown one.'
);

-- The shape of a line and of the body.
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola', 0)))$$,
    'BR422', 'quantity must be a whole number from 1 to 99.',
    'Quantity 0 is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola', 100)))$$,
    'BR422', 'quantity must be a whole number from 1 to 99.',
    'Quantity 100 is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola', 1, '{}', '{"quantity": 1.5}')))$$,
    'BR422', 'quantity must be a whole number from 1 to 99.',
    'Quantity 1.5 is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola') - 'quantity'))$$,
    'BR422', 'quantity is required.',
    'A line without a quantity is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a_cola', 1, '{}', jsonb_build_object('note', repeat('x', 201)))
    ))$$,
    'BR422', 'note must be a non-blank string of at most 200 characters.',
    'A note of 201 characters is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola', 1, '{}', '{"course": 0}')))$$,
    'BR422', 'course must be a whole number from 1 to 9.',
    'Course 0 is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola', 1, '{}', '{"course": 10}')))$$,
    'BR422', 'course must be a whole number from 1 to 9.',
    'Course 10 is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), '{"items": []}')$$,
    'BR422', 'items must be a list of 1 to 100 lines.',
    'An order without lines is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(
        pg_temp.id('s1'),
        jsonb_build_object('items', (select jsonb_agg(pg_temp.line('it_a_cola')) from generate_series(1, 101)))
    )$$,
    'BR422', 'items must be a list of 1 to 100 lines.',
    'An order of 101 lines is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), '{}')$$,
    'BR422', 'items must be a list of 1 to 100 lines.',
    'An order body without items is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), '[]')$$,
    'BR422', 'The body must be a JSON object.',
    'A body that is not an object is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), '{"items": ["it_a_cola"]}')$$,
    'BR422', 'items[1] must be an object.',
    'A line that is not an object is validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola')) || '{"promo_code": "FREE"}')$$,
    'BR422', 'This promo code is not valid here.',
    'A promo code that does not exist is promo_invalid (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola')), repeat('k', 201))$$,
    'BR422', 'Idempotency-Key must be 1 to 200 characters.',
    'An Idempotency-Key of 201 characters is validation_failed (BR422).'
);

select pg_temp.act_as(null);
select is(
    pg_temp.order_state(), (select s.digest from state_before as s),
    'After every refusal nothing was written: no order, line, number, event, key or session change.'
);

-- The neighbours that are accepted.
select pg_temp.act_as('customer_s1');
select is(
    pg_temp.keep('o_dup', api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a1', 1, '{op_a_small,op_a_small,op_a_cheese,op_a_cheese,op_a_cheese}')
    ))) -> 'items' -> 0 -> 'unit_price',
    '1950'::jsonb,
    'Duplicated option ids count once: Small + Cheese (not 1 Size too many, not 3 extras), 1800 + 150.'
);
select is(
    (
        select jsonb_agg(x ->> 'name')
        from jsonb_array_elements(api.get_order(pg_temp.id('o_dup')) -> 'items' -> 0 -> 'options') as x
    ),
    '["Small", "Cheese"]'::jsonb,
    'The deduplicated line stores each chosen option once.'
);
select is(
    api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a1', 1, '{op_a_large,op_a_cheese,op_a_chili}')
    )) -> 'subtotal',
    '2350'::jsonb,
    'Exactly the maximum of a group (two extras) is accepted.'
);
select is(
    api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola', 1, '{op_a_ice}'))) -> 'subtotal',
    '350'::jsonb,
    'The cola''s own option is accepted on the cola.'
);
select is(
    api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_now'))) -> 'subtotal',
    '1000'::jsonb,
    'An item inside its serving window is accepted.'
);
select is(
    (api.place_order(pg_temp.id('s1'), pg_temp.items(
        pg_temp.line('it_a_cola', 99, '{}', jsonb_build_object('note', repeat('x', 200), 'course', 9))
    )) -> 'items' -> 0) - 'id',
    jsonb_build_object(
        'item_id', pg_temp.id('it_a_cola'), 'name', 'Cola', 'quantity', 99, 'unit_price', 350,
        'options', '[]'::jsonb, 'note', repeat('x', 200), 'course', 9, 'status', 'pending'
    ),
    'The limits themselves are accepted: quantity 99, a note of 200 characters, course 9.'
);
select is(
    jsonb_array_length(api.place_order(
        pg_temp.id('s1'),
        jsonb_build_object('items', (select jsonb_agg(pg_temp.line('it_a_fries')) from generate_series(1, 100)))
    ) -> 'items'),
    100,
    'An order of 100 lines is accepted.'
);
select is(
    api.place_order(
        pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola')) || '{"promo_code": null}'
    ) -> 'discount',
    '0'::jsonb,
    'promo_code null is the same as none.'
);
select pg_temp.act_as('customer_a2');
select is(
    api.place_order(pg_temp.id('s_a2'), pg_temp.items(pg_temp.line('it_a2', 2))) -> 'subtotal',
    '1800'::jsonb,
    'Hummus, 86''d at A1 only, is ordered at A2.'
);
select pg_temp.act_as('owner_a');
select is(
    api.set_item_availability(pg_temp.id('br_a1'), pg_temp.id('it_a2'), true) -> 'available',
    'true'::jsonb,
    'The owner brings Hummus back at A1.'
);
select pg_temp.act_as('customer_s1');
select is(
    api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a2'))) -> 'subtotal',
    '900'::jsonb,
    'Once back on the menu at A1, Hummus is ordered there.'
);
select pg_temp.act_as('owner_a');
select lives_ok(
    $$select api.set_item_availability(pg_temp.id('br_a1'), pg_temp.id('it_a_cola'), false)$$,
    'The owner 86es the cola at A1.'
);
select pg_temp.act_as('customer_s1');
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola')))$$,
    'BR409', 'Cola is not available now.',
    'The 86 takes effect at once: item_unavailable (BR409).'
);

select pg_temp.act_as(null);
select results_eq(
    $$select o.number, o.status, o.subtotal
    from app.orders as o
    where o.restaurant_id = pg_temp.id('r_a')
    order by o.branch_id = pg_temp.id('br_a1') desc, o.number$$,
    $$values
    (1, 'placed', 1950), (2, 'placed', 2350), (3, 'placed', 350), (4, 'placed', 1000),
    (5, 'placed', 34650), (6, 'placed', 45000), (7, 'placed', 350), (8, 'placed', 900),
    (1, 'placed', 1800)$$,
    'Only the accepted orders were written, numbered 1 to 8 at A1 without gaps, and 1 at A2.'
);

select * from finish();
rollback;
