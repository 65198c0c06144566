-- A catalog change queues one menu rebuild per live branch, folding a burst into one task.
begin;
select plan(4);

insert into app.restaurants (id, name, slug, currency, timezone) values
('a1000000-0000-7000-8000-000000000001', 'A', 'pgtap-menu-rebuild-a', 'EUR', 'Europe/Rome');
insert into app.branches (restaurant_id, id, name, deleted_at) values
('a1000000-0000-7000-8000-000000000001', 'a1000000-0000-7000-8000-0000000000b1', 'One', null),
('a1000000-0000-7000-8000-000000000001', 'a1000000-0000-7000-8000-0000000000b2', 'Two', null),
('a1000000-0000-7000-8000-000000000001', 'a1000000-0000-7000-8000-0000000000b3', 'Gone', now());
insert into app.categories (restaurant_id, id, name) values
('a1000000-0000-7000-8000-000000000001', 'a1000000-0000-7000-8000-0000000000c1', 'Mains');

select set_eq(
    $$select payload ->> 'branch_id' from queue.tasks
      where type = 'menu_rebuild' and restaurant_id = 'a1000000-0000-7000-8000-000000000001'$$,
    array['a1000000-0000-7000-8000-0000000000b1', 'a1000000-0000-7000-8000-0000000000b2'],
    'A new category queues a rebuild for each live branch, none for the deleted one.'
);

insert into app.items (restaurant_id, category_id, name, price)
select
    'a1000000-0000-7000-8000-000000000001' as restaurant_id,
    'a1000000-0000-7000-8000-0000000000c1' as category_id,
    'Dish ' || i as name,
    100 * i as price
from generate_series(1, 20) as i;

select is(
    (
        select count(*)::integer from queue.tasks
        where type = 'menu_rebuild' and restaurant_id = 'a1000000-0000-7000-8000-000000000001'
    ),
    2,
    'Twenty more edits fold into the two pending rebuilds (dedupe key per branch).'
);

select ok(
    (
        select bool_and(run_at > now()) from queue.tasks
        where type = 'menu_rebuild' and restaurant_id = 'a1000000-0000-7000-8000-000000000001'
    ),
    'The rebuild waits a moment, so a burst of edits is built once.'
);

insert into app.branch_item_availability (restaurant_id, branch_id, item_id, available)
select
    restaurant_id,
    'a1000000-0000-7000-8000-0000000000b1' as branch_id,
    id as item_id,
    false as available
from app.items
where restaurant_id = 'a1000000-0000-7000-8000-000000000001'
order by id
limit 1;

select is(
    (
        select count(*)::integer from queue.tasks
        where type = 'menu_rebuild' and restaurant_id = 'a1000000-0000-7000-8000-000000000001'
    ),
    2,
    'An 86 at one branch adds nothing while that branch''s rebuild is pending.'
);

select * from finish();
rollback;
