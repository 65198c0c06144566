begin;
select plan(1);

-- The same list as api/rpc.py API_FUNCTIONS (tests/py/test_api_surface.py keeps them equal).
select functions_are(
    'api',
    array[
        'activate_device',
        'close_table_session',
        'create_activation_code',
        'create_branch',
        'create_category',
        'create_device_code',
        'create_item',
        'create_modifier_group',
        'create_staff',
        'create_station',
        'create_table',
        'create_webhook',
        'delete_branch',
        'delete_category',
        'delete_item',
        'delete_staff',
        'delete_webhook',
        'get_branch',
        'get_item',
        'get_restaurant',
        'list_branches',
        'list_categories',
        'list_devices',
        'list_items',
        'list_modifier_groups',
        'list_restaurants',
        'list_staff',
        'list_stations',
        'list_tables',
        'list_webhook_deliveries',
        'list_webhooks',
        'login',
        'logout',
        'menu',
        'menu_search',
        'onboard',
        'open_table',
        'open_table_session',
        'pin_login',
        'refresh',
        'restore_branch',
        'restore_item',
        'revoke_device',
        'set_item_availability',
        'test_webhook',
        'update_branch',
        'update_category',
        'update_item',
        'update_restaurant',
        'update_staff',
        'whoami'
    ],
    'The api schema holds exactly the functions the HTTP layer whitelists.'
);

select * from finish();
rollback;
