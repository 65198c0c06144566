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
        'create_device_code',
        'create_staff',
        'create_station',
        'create_table',
        'delete_branch',
        'delete_staff',
        'get_branch',
        'get_restaurant',
        'list_branches',
        'list_devices',
        'list_restaurants',
        'list_staff',
        'list_stations',
        'list_tables',
        'login',
        'logout',
        'onboard',
        'open_table',
        'open_table_session',
        'pin_login',
        'refresh',
        'restore_branch',
        'revoke_device',
        'update_branch',
        'update_restaurant',
        'update_staff',
        'whoami'
    ],
    'The api schema holds exactly the functions the HTTP layer whitelists.'
);

select * from finish();
rollback;
