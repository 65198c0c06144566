-- Every API call of a restaurant draws from a bucket sized by its plan.
insert into app_private.rate_limits (name, capacity, per_seconds) values
('api_trial', 600, 60),
('api_standard', 6000, 60),
('api_pro', 30000, 60);
grant usage on schema auth to authenticator;
