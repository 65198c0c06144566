-- Deletes refresh tokens expired, used or revoked longer than refresh_token_keep ago.
select cron.schedule(
    'purge_refresh_tokens', '17 3 * * *', $$select app_private.purge_refresh_tokens()$$
);
