create or replace function app_private.load_demo_menu(restaurant_id uuid)
returns void
language sql
volatile
set search_path = ''
as $$
    with categories as (
        insert into app.categories (restaurant_id, name, position, translations)
        values
        (load_demo_menu.restaurant_id, 'Breakfast', 1, '{"ar": {"name": "فطور"}}'),
        (load_demo_menu.restaurant_id, 'Grill', 2, '{"ar": {"name": "مشويات"}}'),
        (load_demo_menu.restaurant_id, 'Salads', 3, '{"ar": {"name": "سلطات"}}'),
        (load_demo_menu.restaurant_id, 'Drinks', 4, '{"ar": {"name": "مشروبات"}}')
        returning id, name
    ),

    dishes (category, name, description, price, arabic, allergens, dietary, window_from, window_until) as (
        values
        ('Breakfast', 'Shakshuka', 'Eggs poached in spiced tomato', 2800, 'شكشوكة', '{egg}'::text [], '{vegetarian}'::text [], '06:00'::time, '11:00'::time),
        ('Breakfast', 'Foul Medames', 'Slow-cooked fava beans, olive oil', 1900, 'فول مدمس', '{}', '{vegan}', '06:00', '11:00'),
        ('Breakfast', 'Labneh Plate', 'Labneh, olives, za''atar, bread', 2200, 'صحن لبنة', '{milk,gluten}', '{vegetarian}', '06:00', '11:00'),
        ('Grill', 'Chicken Shawarma', 'Marinated chicken, garlic sauce, pickles', 3200, 'شاورما دجاج', '{gluten}', '{}', null, null),
        ('Grill', 'Lamb Kofta', 'Grilled minced lamb with parsley', 4500, 'كفتة لحم', '{}', '{}', null, null),
        ('Grill', 'Mixed Grill', 'Kofta, shish tawook and lamb chops', 7900, 'مشاوي مشكلة', '{}', '{}', null, null),
        ('Grill', 'Halloumi Skewer', 'Grilled halloumi and vegetables', 3600, 'أسياخ حلومي', '{milk}', '{vegetarian}', null, null),
        ('Salads', 'Fattoush', 'Crisp bread, sumac, garden vegetables', 2100, 'فتوش', '{gluten}', '{vegan}', null, null),
        ('Salads', 'Tabbouleh', 'Parsley, bulgur, lemon', 1900, 'تبولة', '{gluten}', '{vegan}', null, null),
        ('Drinks', 'Mint Lemonade', 'Fresh lemon and mint', 1200, 'ليمون بالنعناع', '{}', '{vegan}', null, null),
        ('Drinks', 'Arabic Coffee', 'Cardamom coffee', 900, 'قهوة عربية', '{}', '{vegan}', null, null),
        ('Drinks', 'Karak Tea', 'Spiced milk tea', 800, 'شاي كرك', '{milk}', '{vegetarian}', null, null)
    ),

    items as (
        insert into app.items (
            restaurant_id, category_id, name, description, price, translations, allergens,
            dietary, available_from, available_until, position
        )
        select
            load_demo_menu.restaurant_id,
            c.id,
            d.name,
            d.description,
            d.price,
            jsonb_build_object('ar', jsonb_build_object('name', d.arabic)),
            d.allergens,
            d.dietary,
            d.window_from,
            d.window_until,
            row_number() over (partition by d.category order by d.price)
        from dishes as d
        inner join categories as c on d.category = c.name
        returning id, name
    ),

    size_group as (
        insert into app.modifier_groups (restaurant_id, name, min_select, max_select, translations)
        values (load_demo_menu.restaurant_id, 'Size', 1, 1, '{"ar": {"name": "الحجم"}}')
        returning id
    ),

    options as (
        insert into app.modifier_options (restaurant_id, group_id, name, price_delta, position)
        select load_demo_menu.restaurant_id, size_group.id, o.name, o.delta, o.position
        from size_group,
            (values ('Regular', 0, 1), ('Large', 800, 2)) as o (name, delta, position)
        returning id
    )

    insert into app.item_modifier_groups (restaurant_id, item_id, group_id, position)
    select load_demo_menu.restaurant_id, items.id, size_group.id, 1
    from items, size_group
    where items.name in ('Chicken Shawarma', 'Mint Lemonade', 'Karak Tea')
        and (select count(*) from options) > 0
$$;
comment on function app_private.load_demo_menu(uuid) is
'The demo restaurant''s menu: 12 items in 4 categories, a size choice, Arabic names, breakfast hours.';
revoke all on function app_private.load_demo_menu(uuid) from public;
