begin;
select plan(1);

select functions_are(
    'api',
    array['whoami'],
    'The api schema holds exactly the functions the HTTP layer whitelists.'
);

select * from finish();
rollback;
