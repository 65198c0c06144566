-- app.task_menu_rebuild, the handler of task type menu_rebuild: run by the worker role, it
-- rebuilds the stale or missing cached menus of one branch (every cached language and the
-- restaurant's own), leaves fresh ones alone, and does nothing for a branch gone since.
begin;
select plan(9);
set local search_path = public;

insert into app.restaurants (id, name, slug, currency, timezone, locale) values
('a0000000-0000-7000-8000-000000000001', 'A', 'pgtap-menu-rebuild-a', 'EUR', 'Europe/Berlin', 'en');
insert into app.branches (restaurant_id, id, name) values
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b1', 'A1'),
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000b2', 'A2');
insert into app.categories (restaurant_id, id, name) values
('a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000c1', 'Mains');
insert into app.items (restaurant_id, id, category_id, name, price, translations) values (
    'a0000000-0000-7000-8000-000000000001', 'a0000000-0000-7000-8000-0000000000e1',
    'a0000000-0000-7000-8000-0000000000c1', 'Falafel', 700, '{"ar": {"name": "فلافل"}}'
);

create function pg_temp.cached(branch uuid)
returns table (lang text, stale boolean, price integer, version bigint)
language sql
as $$
    select
        c.lang,
        c.stale,
        (c.document::jsonb #>> '{categories,0,items,0,price}')::integer,
        c.version
    from app_private.menu_cache as c
    where c.branch_id = cached.branch
    order by c.lang
$$;

-- Nothing cached yet: the restaurant's own language is built.
set local role worker;
select app.task_menu_rebuild('{"branch_id": "a0000000-0000-7000-8000-0000000000b1"}');
reset role;
select results_eq(
    $$select lang, stale, price from pg_temp.cached('a0000000-0000-7000-8000-0000000000b1')$$,
    $$values ('en', false, 700)$$,
    'With nothing cached, the menu in the restaurant''s language is built and cached.'
);

-- A guest read it in Arabic too; then the price changed (which marks both stale).
select api.menu('a0000000-0000-7000-8000-0000000000b1', 'ar');
update app.items set price = 900
where id = 'a0000000-0000-7000-8000-0000000000e1';
select results_eq(
    $$select lang, stale, price from pg_temp.cached('a0000000-0000-7000-8000-0000000000b1')$$,
    $$values ('ar', true, 700), ('en', true, 700)$$,
    'Fixture: both cached languages are stale after the price change.'
);

set local role worker;
select app.task_menu_rebuild('{"branch_id": "a0000000-0000-7000-8000-0000000000b1"}');
reset role;
select results_eq(
    $$select lang, stale, price from pg_temp.cached('a0000000-0000-7000-8000-0000000000b1')$$,
    $$values ('ar', false, 900), ('en', false, 900)$$,
    'Every stale cached language of the branch is rebuilt with the new price.'
);
select is_empty(
    $$select * from pg_temp.cached('a0000000-0000-7000-8000-0000000000b2')$$,
    'Another branch''s cache is not touched.'
);

-- Fresh entries are left as they are: running the task twice is harmless.
create temporary table versions as
select
    lang,
    version
from pg_temp.cached('a0000000-0000-7000-8000-0000000000b1');
select pg_sleep(0.002);  -- a rebuilt document would carry a later version (milliseconds)
set local role worker;
select app.task_menu_rebuild('{"branch_id": "a0000000-0000-7000-8000-0000000000b1"}');
reset role;
select results_eq(
    $$select lang, version from pg_temp.cached('a0000000-0000-7000-8000-0000000000b1')$$,
    'select lang, version from versions order by lang',
    'A second run rebuilds nothing: the fresh documents keep their versions.'
);

-- A branch deleted since the task was enqueued: nothing to do, and no error.
update app.branches set deleted_at = now()
where id = 'a0000000-0000-7000-8000-0000000000b2';
set local role worker;
select lives_ok(
    $$select app.task_menu_rebuild('{"branch_id": "a0000000-0000-7000-8000-0000000000b2"}')$$,
    'A task for a deleted branch succeeds without doing anything.'
);
select throws_ok(
    $$select app.task_menu_rebuild('{}')$$,
    'BR422',
    'payload.branch_id is required.',
    'A payload without branch_id is refused (validation_failed).'
);
reset role;
select is_empty(
    $$select * from pg_temp.cached('a0000000-0000-7000-8000-0000000000b2')$$,
    'Nothing was cached for the deleted branch.'
);

set local role staff;
select throws_ok(
    $$select app.task_menu_rebuild('{"branch_id": "a0000000-0000-7000-8000-0000000000b1"}')$$,
    '42501',
    null,
    'Request roles cannot run task handlers (insufficient_privilege).'
);
reset role;

select * from finish();
rollback;
