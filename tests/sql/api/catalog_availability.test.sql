-- api.set_item_availability (86): any staff member of a branch marks an item sold out or back
-- there, the kitchen too; a branch outside the caller's scope or tenant, and an item of another
-- tenant or a deleted one, are not found; nothing is written then.
begin;
\ir _fixtures/catalog.ddl
select plan(14);

create temporary table availability_before as select * from app.branch_item_availability;
create function pg_temp.availability_changed()
returns boolean
language sql
stable
as $$
    select exists (
        (select * from app.branch_item_availability except select * from pg_temp.availability_before)
        union all
        (select * from pg_temp.availability_before except select * from app.branch_item_availability)
    )
$$;

select pg_temp.act_as('owner_b');
select throws_ok(
    $$select api.set_item_availability(pg_temp.id('br_a1'), pg_temp.id('it_a1'), false)$$,
    'BR404', 'Branch not found.',
    'B''s owner 86ing at A''s branch gets not_found (BR404).'
);
select throws_ok(
    $$select api.set_item_availability(pg_temp.id('br_b1'), pg_temp.id('it_a1'), false)$$,
    'BR404', 'Item not found.',
    'B''s owner 86ing A''s item at B''s own branch gets not_found (BR404).'
);
select pg_temp.act_as('kitchen_a');
select throws_ok(
    $$select api.set_item_availability(pg_temp.id('br_a2'), pg_temp.id('it_a1'), false)$$,
    'BR404', 'Branch not found.',
    'The kitchen of A1 cannot 86 at A2: not_found (BR404).'
);
select throws_ok(
    $$select api.set_item_availability(pg_temp.id('br_a1'), pg_temp.id('it_a_gone'), false)$$,
    'BR404', 'Item not found.',
    'A deleted item cannot be 86ed: not_found (BR404).'
);
select throws_ok(
    $$select api.set_item_availability(pg_temp.id('br_a1'), pg_temp.id('it_a1'), null)$$,
    'BR422', 'available must be true or false.',
    'available null is validation_failed (BR422).'
);
select pg_temp.act_as('manager_a2');
select throws_ok(
    $$select api.set_item_availability(pg_temp.id('br_a1'), pg_temp.id('it_a1'), false)$$,
    'BR404', 'Branch not found.',
    'A manager of A2 cannot 86 at A1: not_found (BR404).'
);
select pg_temp.act_as('anon');
select throws_ok(
    $$select api.set_item_availability(pg_temp.id('br_a1'), pg_temp.id('it_a1'), false)$$,
    '42501', null,
    'An anonymous caller may not call it at all (42501).'
);
select pg_temp.act_as('customer_s1');
select throws_ok(
    $$select api.set_item_availability(pg_temp.id('br_a1'), pg_temp.id('it_a1'), false)$$,
    '42501', null,
    'A guest at a table may not call it at all (42501).'
);
select pg_temp.act_as(null);
select ok(not pg_temp.availability_changed(), 'After the refused calls the 86 list is unchanged.');

select pg_temp.act_as('kitchen_a');
select is(
    api.set_item_availability(pg_temp.id('br_a1'), pg_temp.id('it_a1'), false),
    jsonb_build_object('branch_id', pg_temp.id('br_a1'), 'item_id', pg_temp.id('it_a1'), 'available', false),
    'The kitchen of A1 86es the Chicken Shawarma there.'
);
select pg_temp.act_as('waiter_a');
select is(
    api.set_item_availability(pg_temp.id('br_a1'), pg_temp.id('it_a2'), true) -> 'available',
    'true'::jsonb,
    'A waiter brings the Hummus back at A1.'
);
select is(
    api.set_item_availability(pg_temp.id('br_a2'), pg_temp.id('it_a2'), true) -> 'available',
    'true'::jsonb,
    'Saying an item is available where it always was answers the same, and writes nothing.'
);
select pg_temp.act_as(null);
select results_eq(
    $$select pg_temp.label(a.branch_id::text), pg_temp.label(a.item_id::text), a.available
    from app.branch_item_availability as a
    where a.restaurant_id = pg_temp.id('r_a')
    order by 1, 2$$,
    $$values ('br_a1', 'it_a1', false), ('br_a1', 'it_a2', true)$$,
    'The 86 list of A holds one row per branch and item, upserted (no row means available).'
);
select results_eq(
    $$select pg_temp.label(a.branch_id::text), pg_temp.label(a.item_id::text), a.available
    from app.branch_item_availability as a
    where a.restaurant_id = pg_temp.id('r_b')$$,
    $$values ('br_b1', 'it_b', false)$$,
    'The 86 list of B is untouched.'
);

select * from finish();
rollback;
