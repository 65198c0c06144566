-- Rate limits as data: a DBA tunes them with an UPDATE, no deploy needed.
create table app_private.rate_limits (
    name text primary key,
    capacity integer not null check (capacity > 0),
    per_seconds integer not null check (per_seconds > 0)
);
comment on table app_private.rate_limits is
'Token-bucket limits by name: capacity requests per per_seconds, refilled continuously.';

insert into app_private.rate_limits (name, capacity, per_seconds) values
('login_ip', 10, 60),
('login_account', 10, 60),
('pin_ip', 10, 60),
('activation_ip', 10, 60),
('qr_ip', 60, 60);
