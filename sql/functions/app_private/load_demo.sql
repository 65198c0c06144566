create or replace function app_private.load_demo()
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_restaurant uuid;
    v_branch uuid;
    v_user uuid;
    v_member uuid;
    v_code text := app_private.random_code(10);
    v_people constant jsonb := '[
        {"email": "owner@demo.brigade.test", "name": "Olivia Owner", "role": "owner",
         "password": "demo-owner-pass", "pin": null},
        {"email": "waiter@demo.brigade.test", "name": "Walid Waiter", "role": "waiter",
         "password": "demo-waiter-pass", "pin": "2222"},
        {"email": null, "name": "Kai Kitchen", "role": "kitchen", "password": null, "pin": "1111"}
    ]';
    v_person jsonb;
begin
    -- Idempotent: the demo restaurant is found by its slug and completed, never duplicated.
    -- Prices include 15 % VAT, as menus in Saudi Arabia do.
    insert into app.restaurants (name, slug, currency, timezone, locale, tax_rate_bp, tax_inclusive)
    values ('Brigade Demo Bistro', 'demo', 'SAR', 'Asia/Riyadh', 'en', 1500, true)
    on conflict (slug) do update set name = excluded.name
    returning id into v_restaurant;

    select b.id into v_branch from app.branches as b
    where b.restaurant_id = v_restaurant and b.name = 'Downtown';
    if v_branch is null then
        -- auto_accept: an order reaches the kitchen screen as soon as it is placed.
        insert into app.branches (restaurant_id, name, timezone, auto_accept)
        values (v_restaurant, 'Downtown', 'Asia/Riyadh', true)
        returning id into v_branch;
    end if;
    insert into app.stations (restaurant_id, branch_id, name, is_default)
    values (v_restaurant, v_branch, 'Kitchen', true), (v_restaurant, v_branch, 'Bar', false)
    on conflict do nothing;

    for v_person in select * from jsonb_array_elements(v_people) loop
        select m.user_id into v_user
        from app.memberships as m inner join app.users as u on m.user_id = u.id
        where m.restaurant_id = v_restaurant and u.name = v_person ->> 'name';
        if v_user is null then
            insert into app.users (email, name)
            values (v_person ->> 'email', v_person ->> 'name')
            returning id into v_user;
            insert into app.memberships (restaurant_id, user_id, role)
            values (v_restaurant, v_user, v_person ->> 'role');
        end if;
        select m.id into v_member from app.memberships as m
        where m.restaurant_id = v_restaurant and m.user_id = v_user;
        if v_person ->> 'password' is not null then
            insert into app_private.credentials (user_id, password_hash)
            values (v_user, extensions.crypt(v_person ->> 'password', extensions.gen_salt('bf', 8)))
            on conflict on constraint credentials_pkey do nothing;
        end if;
        if v_person ->> 'pin' is not null then
            insert into app_private.staff_pins (restaurant_id, membership_id, pin_hash)
            values (
                v_restaurant, v_member,
                extensions.digest(v_restaurant::text || ':' || (v_person ->> 'pin'), 'sha256')
            )
            on conflict do nothing;
        end if;
        v_user := null;
    end loop;

    insert into app.dining_tables (restaurant_id, branch_id, label, seats, qr_token)
    values
    (v_restaurant, v_branch, 'T1', 4, 'demo-table-1'),
    (v_restaurant, v_branch, 'T2', 2, 'demo-table-2')
    on conflict do nothing;

    -- A real menu, once: four categories, a dozen items, a modifier group, Arabic names,
    -- and breakfast served only until 11:00.
    if not exists (select 1 from app.categories as c where c.restaurant_id = v_restaurant) then
        perform app_private.load_demo_menu(v_restaurant);
    end if;
    -- Drinks are made at the bar; everything else goes to the default station (the kitchen).
    insert into app.station_categories (restaurant_id, station_id, category_id)
    select v_restaurant, st.id, c.id
    from app.stations as st
    inner join app.categories as c on c.restaurant_id = st.restaurant_id and c.name = 'Drinks'
    where st.restaurant_id = v_restaurant and st.branch_id = v_branch and st.name = 'Bar'
    on conflict do nothing;

    -- A fresh device code each time: codes are single use and stored only hashed.
    insert into app.device_codes (restaurant_id, branch_id, code_hash, expires_at)
    values (v_restaurant, v_branch, app_private.sha256(v_code), now() + interval '24 hours');

    return jsonb_build_object(
        'restaurant_id', v_restaurant,
        'branch_id', v_branch,
        'people', v_people,
        'device_code', v_code,
        'qr_tokens', jsonb_build_array('demo-table-1', 'demo-table-2')
    );
end;
$$;
comment on function app_private.load_demo() is
'Loads (once) the demo restaurant with staff, PINs and tables; issues a fresh device code.';
revoke all on function app_private.load_demo() from public;
