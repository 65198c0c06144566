-- Stations get categories: api.create_station links the categories it names (live ones of the
-- restaurant; an unknown, deleted or another tenant's id is validation_failed, like any id in
-- a body), and api.list_stations shows each station's category_ids.
begin;
\ir _fixtures/catalog.ddl
select plan(7);

create temporary table routes_before as select * from app.station_categories;
create temporary table stations_before as select * from app.stations;

select pg_temp.act_as('owner_a');
select throws_ok(
    $$select api.create_station(pg_temp.id('br_a1'),
        jsonb_build_object('name', 'Bar', 'category_ids', jsonb_build_array(pg_temp.id('cat_b'))))$$,
    'BR422', 'category_ids names an unknown category.',
    'A category of another restaurant is validation_failed (BR422).'
);
select throws_ok(
    $$select api.create_station(pg_temp.id('br_a1'), jsonb_build_object('name', 'Bar',
        'category_ids', jsonb_build_array(pg_temp.id('cat_a'), pg_temp.id('cat_a_gone'))))$$,
    'BR422', 'category_ids names an unknown category.',
    'A deleted category is validation_failed (BR422), and the valid one beside it is not linked.'
);
select throws_ok(
    $$select api.create_station(pg_temp.id('br_a1'), '{"name": "Bar", "category_ids": "all"}')$$,
    'BR422', 'category_ids must be a list of ids.',
    'category_ids that are not a list of ids are validation_failed (BR422).'
);
select pg_temp.act_as(null);
select ok(
    not exists (
        select * from app.station_categories
        except
        select * from pg_temp.routes_before
    )
    and not exists (
        select * from app.stations
        except
        select * from pg_temp.stations_before
    ),
    'After the refused calls no station and no route was added.'
);

select pg_temp.act_as('manager_a1');
select is(
    (
        select s -> 'category_ids'
        from api.create_station(pg_temp.id(
            'br_a1'), jsonb_build_object(
            'name', 'Cold',
            'category_ids', jsonb_build_array(
                pg_temp.id('cat_a_empty'), pg_temp.id('cat_a'),
                pg_temp.id('cat_a')
            )
        )) as s
    ),
    (select jsonb_agg(c order by c) from unnest(array[pg_temp.id('cat_a'), pg_temp.id('cat_a_empty')]) as c),
    'A manager adds a station with two categories (a repeated id counts once).'
);
select pg_temp.act_as('kitchen_a');
select is(
    (
        select jsonb_object_agg(s ->> 'name', s -> 'category_ids')
        from jsonb_array_elements(api.list_stations(pg_temp.id('br_a1')) -> 'items') as s
    ),
    jsonb_build_object(
        'A1 grill', jsonb_build_array(pg_temp.id('cat_a')),
        'Cold', (
            select jsonb_agg(c order by c)
            from unnest(array[pg_temp.id('cat_a'), pg_temp.id('cat_a_empty')]) as c
        )
    ),
    'The kitchen lists the stations of its branch with the categories each one makes.'
);
select pg_temp.act_as('owner_b');
select is(
    api.list_stations(pg_temp.id('br_b1')) #> '{items,0,category_ids}',
    jsonb_build_array(pg_temp.id('cat_b')),
    'B''s stations show B''s routes only.'
);

select * from finish();
rollback;
