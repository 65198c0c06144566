-- Deletes unused onboarding and device codes expired longer than activation_code_keep ago.
select cron.schedule(
    'purge_activation_codes', '27 3 * * *', $$select app_private.purge_activation_codes()$$
);
