-- api.list_webhooks: owners and restaurant-wide managers list their restaurant's webhooks, a
-- page at a time, never with a secret.
begin;
\ir ../policies/_fixtures/matrix.ddl
\ir ../policies/_fixtures/webhooks.ddl
select plan(8);

create temporary table page (body jsonb);
grant insert on page to staff;
select pg_temp.act_as('owner_a');
insert into page select api.list_webhooks(pg_temp.id('r_a'));
select pg_temp.act_as(null);
select is(
    (
        select array_agg(pg_temp.label(i.item ->> 'id') order by i.item ->> 'id')
        from page as p, jsonb_array_elements(p.body -> 'items') as i (item)
    ),
    array['wh_a1', 'wh_a2'],
    'The owner of A lists A''s two webhooks, the disabled one included.'
);
select is(
    (
        select count(*)::integer from page as p, jsonb_array_elements(p.body -> 'items') as i (item)
        where i.item ? 'secret'
    ),
    0,
    'No item carries a secret.'
);
select is(
    (select body -> 'next_cursor' from page),
    'null'::jsonb,
    'One page holds them all: next_cursor is null.'
);

select pg_temp.act_as('manager_a');
select is(
    jsonb_array_length(api.list_webhooks(pg_temp.id('r_a'), 1) -> 'items'),
    1,
    'A restaurant-wide manager lists them a page at a time (limit 1).'
);
select is(
    pg_temp.label(api.list_webhooks(pg_temp.id('r_a'), 1) ->> 'next_cursor'),
    'wh_a1',
    'The first page''s cursor is the id of its last item.'
);
select is(
    pg_temp.label(
        api.list_webhooks(pg_temp.id('r_a'), 1, pg_temp.id('wh_a1')) -> 'items' -> 0 ->> 'id'
    ),
    'wh_a2',
    'The next page starts after the cursor.'
);

select pg_temp.act_as('owner_a');
select throws_ok(
    format('select api.list_webhooks(%L)', pg_temp.id('r_b')),
    'BR404', null,
    'Another restaurant''s webhooks are not_found (BR404).'
);
select pg_temp.act_as('manager_a2');
select throws_ok(
    format('select api.list_webhooks(%L)', pg_temp.id('r_a')),
    'BR403', null,
    'A branch-scoped manager may not list them: forbidden (BR403).'
);
select pg_temp.act_as(null);

select * from finish();
rollback;
