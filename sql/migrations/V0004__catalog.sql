-- Catalog: categories, items, modifier groups and options, per-branch availability,
-- station routing, and the menu document cache (ARCHITECTURE §8).

create table app.categories (
    restaurant_id uuid not null references app.restaurants (id),
    id uuid not null default app.uuid7(),
    name text not null check (length(name) between 1 and 120),
    position integer not null default 0,
    translations jsonb not null default '{}' check (jsonb_typeof(translations) = 'object'),
    visible boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz,
    primary key (restaurant_id, id)
);
comment on table app.categories is 'A section of the menu (starters, grill, drinks).';

create table app.items (
    restaurant_id uuid not null,
    id uuid not null default app.uuid7(),
    category_id uuid not null,
    name text not null check (length(name) between 1 and 160),
    description text not null default '' check (length(description) <= 2000),
    price integer not null check (price between 0 and 100000000),
    allergens text[] not null default '{}',
    dietary text[] not null default '{}',
    image_url text check (image_url ~ '^https://'),
    position integer not null default 0,
    translations jsonb not null default '{}' check (jsonb_typeof(translations) = 'object'),
    available_from time,
    available_until time,
    search tsvector,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz,
    primary key (restaurant_id, id),
    foreign key (restaurant_id, category_id) references app.categories (restaurant_id, id),
    check ((available_from is null) = (available_until is null))
);
comment on table app.items is 'A dish or drink; price in minor units of the restaurant currency.';
create index items_category_idx on app.items (restaurant_id, category_id, position);
create index items_search_idx on app.items using gin (search);

create table app.modifier_groups (
    restaurant_id uuid not null references app.restaurants (id),
    id uuid not null default app.uuid7(),
    name text not null check (length(name) between 1 and 120),
    min_select integer not null default 0 check (min_select >= 0),
    max_select integer not null default 1 check (max_select >= 1),
    translations jsonb not null default '{}' check (jsonb_typeof(translations) = 'object'),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz,
    primary key (restaurant_id, id),
    check (min_select <= max_select)
);
comment on table app.modifier_groups is 'A choice on an item (size, extras) with its selection bounds.';

create table app.modifier_options (
    restaurant_id uuid not null,
    id uuid not null default app.uuid7(),
    group_id uuid not null,
    name text not null check (length(name) between 1 and 120),
    price_delta integer not null default 0 check (price_delta between -100000000 and 100000000),
    position integer not null default 0,
    available boolean not null default true,
    translations jsonb not null default '{}' check (jsonb_typeof(translations) = 'object'),
    primary key (restaurant_id, id),
    foreign key (restaurant_id, group_id)
    references app.modifier_groups (restaurant_id, id) on delete cascade
);
comment on table app.modifier_options is 'One option of a modifier group, with its price delta.';
create index modifier_options_group_idx on app.modifier_options (restaurant_id, group_id, position);

create table app.item_modifier_groups (
    restaurant_id uuid not null,
    item_id uuid not null,
    group_id uuid not null,
    position integer not null default 0,
    primary key (restaurant_id, item_id, group_id),
    foreign key (restaurant_id, item_id) references app.items (restaurant_id, id) on delete cascade,
    foreign key (restaurant_id, group_id) references app.modifier_groups (restaurant_id, id)
);
comment on table app.item_modifier_groups is 'Which modifier groups an item offers, in order.';
create index item_modifier_groups_group_idx on app.item_modifier_groups (restaurant_id, group_id);

create table app.branch_item_availability (
    restaurant_id uuid not null,
    branch_id uuid not null,
    item_id uuid not null,
    available boolean not null,
    updated_at timestamptz not null default now(),
    primary key (restaurant_id, branch_id, item_id),
    foreign key (restaurant_id, branch_id) references app.branches (restaurant_id, id),
    foreign key (restaurant_id, item_id) references app.items (restaurant_id, id) on delete cascade
);
comment on table app.branch_item_availability is
'86 list: an item sold out (or back) at one branch; no row means available.';

create table app.station_categories (
    restaurant_id uuid not null,
    station_id uuid not null,
    category_id uuid not null,
    primary key (restaurant_id, station_id, category_id),
    foreign key (restaurant_id, station_id)
    references app.stations (restaurant_id, id) on delete cascade,
    foreign key (restaurant_id, category_id) references app.categories (restaurant_id, id)
);
comment on table app.station_categories is 'Which categories a kitchen station prepares.';
create index station_categories_category_idx on app.station_categories (restaurant_id, category_id);

-- UNLOGGED: after a crash it is empty and every menu is simply rebuilt on first read.
create unlogged table app_private.menu_cache (
    restaurant_id uuid not null,
    branch_id uuid not null,
    lang text not null,
    document text not null,
    version bigint not null,
    etag text not null,
    built_at timestamptz not null default now(),
    valid_until timestamptz,
    stale boolean not null default false,
    primary key (restaurant_id, branch_id, lang)
);
comment on table app_private.menu_cache is
'Built menu documents per branch and language, served as stored bytes with their ETag.';

grant select on app.categories, app.items, app.modifier_groups, app.modifier_options,
app.item_modifier_groups, app.branch_item_availability, app.station_categories to staff;
grant insert (restaurant_id, name, position, translations, visible) on app.categories to staff;
grant update (name, position, translations, visible, deleted_at) on app.categories to staff;
grant insert (
    restaurant_id, category_id, name, description, price, allergens, dietary, image_url,
    position, translations, available_from, available_until
) on app.items to staff;
grant update (
    category_id, name, description, price, allergens, dietary, image_url, position,
    translations, available_from, available_until, deleted_at
) on app.items to staff;
grant insert (restaurant_id, name, min_select, max_select, translations)
on app.modifier_groups to staff;
grant update (name, min_select, max_select, translations, deleted_at)
on app.modifier_groups to staff;
grant insert (restaurant_id, group_id, name, price_delta, position, available, translations)
on app.modifier_options to staff;
grant update (name, price_delta, position, available, translations) on app.modifier_options to staff;
grant delete on app.modifier_options to staff;
grant insert (restaurant_id, item_id, group_id, position) on app.item_modifier_groups to staff;
grant delete on app.item_modifier_groups to staff;
grant insert (restaurant_id, branch_id, item_id, available) on app.branch_item_availability
to staff;
grant update (available, updated_at) on app.branch_item_availability to staff;
grant insert (restaurant_id, station_id, category_id) on app.station_categories to staff;
grant delete on app.station_categories to staff;
