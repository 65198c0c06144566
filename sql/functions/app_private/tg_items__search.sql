create or replace function app_private.tg_items__search()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
    v_config regconfig;
begin
    select r.search_config into v_config from app.restaurants as r where r.id = new.restaurant_id;
    -- Name and translated names weigh most, then the description; translations use
    -- 'simple' because they are in other languages than the restaurant's configuration.
    new.search := setweight(to_tsvector(v_config, new.name), 'A')
        || setweight(to_tsvector('simple', coalesce((
            select string_agg(t.value ->> 'name', ' ')
            from jsonb_each(new.translations) as t
        ), '')), 'A')
        || setweight(to_tsvector(v_config, new.description), 'B')
        || setweight(to_tsvector('simple', coalesce((
            select string_agg(t.value ->> 'description', ' ')
            from jsonb_each(new.translations) as t
        ), '')), 'B');
    return new;
end;
$$;
comment on function app_private.tg_items__search() is
'Keeps an item''s weighted search vector in the restaurant''s text search configuration.';
revoke all on function app_private.tg_items__search() from public;
