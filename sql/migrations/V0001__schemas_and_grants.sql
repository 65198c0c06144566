-- Schemas of ARCHITECTURE §3, default privileges, and the id generator.
-- Roles and extensions exist already: the superuser bootstrap made them (ADR 0002).

-- Nothing we create is executable or readable by PUBLIC unless granted by name.
alter default privileges revoke execute on functions from public;
alter default privileges revoke usage on types from public;
revoke create on schema public from public;

create schema app;
comment on schema app is 'Tables; requests reach their rows only through RLS.';

create schema app_private;
comment on schema app_private is
'Credentials, trigger functions and SECURITY DEFINER helpers; no request role has usage.';

create schema api;
comment on schema api is 'One function per operation the HTTP layer calls.';

create schema auth;
comment on schema auth is 'Claim helpers that read the verified token of the request.';

create schema queue;
comment on schema queue is 'Task queue and event log.';

create schema audit;
comment on schema audit is 'Append-only audit log, written by trigger only.';

create schema report;
comment on schema report is 'Materialized views and report functions.';

grant usage on schema app, api, auth to anon, customer, staff, platform;
grant usage on schema app, auth, queue to worker;

-- Time-ordered ids (UUIDv7 layout: 48-bit unix ms, version 7, variant 10, random rest).
-- A migration, not a repeatable file: column defaults depend on it.
create function app.uuid7()
returns uuid
language sql
volatile
parallel safe
set search_path = ''
as $$
    -- pg_catalog is always searched first, so search_path = '' needs no qualification here.
    select encode(
        set_bit(
            set_bit(
                overlay(
                    uuid_send(gen_random_uuid())
                    placing substring(
                        int8send((extract(epoch from clock_timestamp()) * 1000)::bigint)
                        from 3
                    )
                    from 1 for 6
                ),
                52, 1
            ),
            53, 1
        ),
        'hex'
    )::uuid
$$;
comment on function app.uuid7() is
'Time-ordered UUID (v7 layout) used as every id default: index-friendly, sortable by creation.';
grant execute on function app.uuid7() to anon, customer, staff, platform, worker;
