-- api.place_order prices every line from the catalog: unit price = item price + the deltas of
-- the chosen options; a client's price fields are refused, never read. Tax (exclusive or
-- inclusive) and the service charge (taxed like the food) are exact integers, rounded half
-- away from zero, with the rates fixed on the order; names, options and prices are stored as
-- ordered, so a later menu edit does not rewrite the order.
begin;
\ir _fixtures/orders.ddl
select plan(22);

-- No tax, no service: Chicken Shawarma 1800 + Large 400 + Cheese 150 + Garlic 50 = 2400, twice.
select pg_temp.act_as('customer_s1');
select is(
    pg_temp.money(pg_temp.keep('o_plain', api.place_order(
        pg_temp.id('s1'),
        pg_temp.items(
            pg_temp.line('it_a1', 2, '{op_a_garlic,op_a_large,op_a_cheese}'),
            pg_temp.line('it_a_cola', 3)
        )
    ))),
    'subtotal 5850, service 0, tax 0, total 5850',
    'Without tax or service charge the total is the sum of quantity x unit price (2 x 2400 + 3 x 350).'
);
select pg_temp.act_as(null);
select results_eq(
    $$select i.name, i.quantity, i.unit_price, i.options
    from app.order_items as i
    where i.order_id = pg_temp.id('o_plain')
    order by i.unit_price desc$$,
    $$values
    (
        'Chicken Shawarma', 2, 2400, jsonb_build_array(
            jsonb_build_object('id', pg_temp.id('op_a_large'), 'name', 'Large', 'price_delta', 400),
            jsonb_build_object('id', pg_temp.id('op_a_cheese'), 'name', 'Cheese', 'price_delta', 150),
            jsonb_build_object('id', pg_temp.id('op_a_garlic'), 'name', 'Garlic sauce', 'price_delta', 50)
        )
    ),
    ('Cola', 3, 350, '[]'::jsonb)$$,
    'Each line is stored with the item''s name, unit price = price + option deltas, and its options in menu order.'
);
select is(
    (select jsonb_agg(x -> 'unit_price' order by x -> 'unit_price') from jsonb_array_elements(
        api.get_order(pg_temp.id('o_plain')) -> 'items'
    ) as x),
    '[350, 2400]'::jsonb,
    'The order as read back shows the same unit prices.'
);
select is(
    (
        select o.currency::text from app.orders as o
        where o.id = pg_temp.id('o_plain')
    ),
    'EUR',
    'The order is in the restaurant''s currency.'
);

-- A client's price never counts: fields the contract does not name are refused.
create temporary table state_before as select pg_temp.order_state() as digest;
select pg_temp.act_as('customer_s1');
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a1', 1, '{op_a_small}', '{"price": 1}')))$$,
    'BR422', 'Unknown field(s): price.',
    'A line carrying its own price is refused: validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(
        pg_temp.id('s1'),
        pg_temp.items(pg_temp.line('it_a_cola', 1, '{}', '{"unit_price": 0, "name": "Free cola"}'))
    )$$,
    'BR422', 'Unknown field(s): name, unit_price.',
    'A line carrying a unit price and a name is refused: validation_failed (BR422).'
);
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola')) || '{"total": 1, "discount": 350}')$$,
    'BR422', 'Unknown field(s): discount, total.',
    'An order body carrying a total or a discount is refused: validation_failed (BR422).'
);
select pg_temp.act_as('waiter_a');
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola', 1, '{}', '{"price": 0}')))$$,
    'BR422', 'Unknown field(s): price.',
    'Staff cannot set a price either: validation_failed (BR422).'
);
select pg_temp.act_as(null);
select is(
    pg_temp.order_state(), (select s.digest from state_before as s),
    'After the refused orders nothing was written (orders, lines, events, numbers, keys, sessions).'
);

-- Tax on top (exclusive), 15 %: 350 x 15 % = 52.5, rounded half away from zero to 53.
select pg_temp.set_rates(1500, false, 0);
select pg_temp.act_as('customer_s1');
select is(
    pg_temp.money(pg_temp.keep('o_tax_excl', api.place_order(
        pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola'))
    ))),
    'subtotal 350, service 0, tax 53, total 403',
    'Exclusive tax is added: 350 + round(52.5) = 403.'
);
select is(
    pg_temp.money(pg_temp.keep('o_tax_excl2', api.place_order(
        pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_fries', 3), pg_temp.line('it_a_cola'))
    ))),
    'subtotal 1700, service 0, tax 255, total 1955',
    'Exclusive tax of several lines is taken on their sum: 1700 x 15 % = 255.'
);

-- Tax included in the prices: the part rate / (1 + rate) of what is charged.
select pg_temp.set_rates(1500, true, 0);
select pg_temp.act_as('customer_s1');
select is(
    pg_temp.money(pg_temp.keep('o_tax_incl', api.place_order(
        pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola'))
    ))),
    'subtotal 350, service 0, tax 46, total 350',
    'Inclusive tax is shown, not added: round(350 x 1500 / 11500) = round(45.65) = 46.'
);

-- Service charge, taxed like the food. Inclusive: 4800 + 480 = 5280 of which tax
-- round(5280 x 1500 / 11500) = round(688.70) = 689.
select pg_temp.set_rates(1500, true, 1000);
select pg_temp.act_as('customer_s1');
select is(
    pg_temp.money(pg_temp.keep('o_service_incl', api.place_order(
        pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a1', 2, '{op_a_large,op_a_cheese,op_a_garlic}'))
    ))),
    'subtotal 4800, service 480, tax 689, total 5280',
    'Service charge with inclusive tax: 4800 + 480 charged, of which 689 is tax.'
);
select pg_temp.set_rates(1500, false, 1000);
select pg_temp.act_as('customer_s1');
select is(
    pg_temp.money(pg_temp.keep('o_service_excl', api.place_order(
        pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a1', 2, '{op_a_large,op_a_cheese,op_a_garlic}'))
    ))),
    'subtotal 4800, service 480, tax 792, total 6072',
    'Service charge with tax on top: 4800 + 480 + round(5280 x 15 %) = 6072.'
);
select pg_temp.set_rates(1500, false, 1250);
select pg_temp.act_as('waiter_a');
select is(
    pg_temp.money(pg_temp.keep('o_service_round', api.place_order(
        pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_cola'))
    ))),
    'subtotal 350, service 44, tax 59, total 453',
    'Each amount is rounded once: service round(43.75) = 44, tax round(394 x 15 %) = round(59.1) = 59.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select pg_temp.label(o.id::text), o.tax_rate_bp, o.tax_inclusive, o.service_charge_bp
    from app.orders as o
    where o.restaurant_id = pg_temp.id('r_a')
    order by o.number$$,
    $$values
    ('o_plain', 0, false, 0),
    ('o_tax_excl', 1500, false, 0),
    ('o_tax_excl2', 1500, false, 0),
    ('o_tax_incl', 1500, true, 0),
    ('o_service_incl', 1500, true, 1000),
    ('o_service_excl', 1500, false, 1000),
    ('o_service_round', 1500, false, 1250)$$,
    'Each order keeps the rates it was priced with.'
);

-- The menu changes after ordering: the order does not.
create temporary table before_edit as
select
    o.id,
    pg_temp.call_as('customer_s1', format('api.get_order(%L)', o.id)) as body
from app.orders as o
where o.restaurant_id = pg_temp.id('r_a');
grant select on before_edit to customer;
select pg_temp.act_as('owner_a');
select is(
    api.update_item(pg_temp.id('it_a1'), '{"name": "Beef Shawarma", "price": 2500}') ->> 'name',
    'Beef Shawarma',
    'The owner renames and reprices the item after it was ordered.'
);
select pg_temp.act_as(null);
-- No api function edits an option in place: the setup changes it as the owner of the tables.
update app.modifier_options set name = 'XL', price_delta = 900
where id = pg_temp.id('op_a_large');
select pg_temp.set_rates(2000, false, 0);
select pg_temp.act_as('customer_s1');
select is(
    (
        select count(*)::integer from before_edit as b
        where api.get_order(b.id) = b.body
    ),
    7,
    'All 7 orders read exactly as before the menu and rate changes (names, options, prices, totals).'
);
select is(
    pg_temp.money(api.place_order(
        pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a1', 1, '{op_a_large}'))
    )),
    'subtotal 3400, service 0, tax 680, total 4080',
    'A new order is priced from the menu as it is now: 2500 + 900, and 20 % tax on top.'
);

-- Large amounts: rates times amounts are computed without 32-bit overflow, and an order whose
-- total could not be stored is refused before anything is written.
select pg_temp.act_as(null);
insert into pg_temp.fixture_ids (key) values ('it_a_banquet'), ('it_a_palace');
insert into app.items (restaurant_id, id, category_id, name, price) values
(pg_temp.id('r_a'), pg_temp.id('it_a_banquet'), pg_temp.id('cat_a'), 'Banquet', 1000000),
(pg_temp.id('r_a'), pg_temp.id('it_a_palace'), pg_temp.id('cat_a'), 'Palace feast', 100000000);
select pg_temp.set_rates(2000, false, 1000);
select pg_temp.act_as('waiter_a');
select is(
    pg_temp.money(api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_banquet')))),
    'subtotal 1000000, service 100000, tax 220000, total 1320000',
    'A banquet of 10,000.00 costs 10,000.00 + 1,000.00 service + 2,200.00 tax (1,100,000 x 2000 > 2^31 on the way).'
);
select pg_temp.act_as(null);
create temporary table state_before_large as select pg_temp.order_state() as digest;
select pg_temp.act_as('waiter_a');
select throws_ok(
    $$select api.place_order(pg_temp.id('s1'), pg_temp.items(pg_temp.line('it_a_palace', 22)))$$,
    'BR422', 'This order is too large: split it into several orders.',
    'An order whose total would not fit the money columns (22 x 1,000,000.00) is validation_failed (BR422).'
);
select pg_temp.act_as(null);
select is(
    pg_temp.order_state(), (select s.digest from state_before_large as s),
    'The refused large order wrote nothing.'
);

select * from finish();
rollback;
