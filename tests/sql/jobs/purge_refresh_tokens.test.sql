-- Job purge_refresh_tokens: app_private.purge_refresh_tokens() deletes refresh tokens that can
-- no longer be used or replayed: expired, used or revoked more than refresh_token_keep ago.
begin;
\ir ../policies/_fixtures/matrix.ddl
select plan(4);

select results_eq(
    $$select j.schedule, j.command, j.username from cron.job as j
    where j.jobname = 'purge_refresh_tokens'$$,
    $$values ('17 3 * * *', 'select app_private.purge_refresh_tokens()', 'brigade_owner')$$,
    'purge_refresh_tokens runs daily as brigade_owner.'
);

-- Tokens of A's owner, by what should happen to them (30-day life, as issued by the API).
create temporary table fixture_tokens (key text primary key, id uuid not null);
with made as (
    insert into app_private.refresh_tokens (
        family_id, token_hash, user_id, claims, issued_at, expires_at, used_at, revoked_at
    )
    select
        gen_random_uuid() as family_id,
        sha256(convert_to('pgtap-purge-' || t.key, 'UTF8')) as token_hash,
        pg_temp.id('u_owner_a') as user_id,
        jsonb_build_object('key', t.key) as claims,
        now() - t.issued_days_ago * interval '1 day' as issued_at,
        now() + (30 - t.issued_days_ago) * interval '1 day' as expires_at,
        now() - t.used_days_ago * interval '1 day' as used_at,
        now() - t.revoked_days_ago * interval '1 day' as revoked_at
    from (
        values
        ('gone_expired_long_ago', 70, null, null),
        ('gone_used_long_ago', 50, 45, null),
        ('gone_revoked_long_ago', 45, null, 40),
        ('kept_expired_lately', 35, null, null),
        ('kept_used_lately', 40, 20, null),
        ('kept_live', 3, null, null),
        ('kept_used_live', 10, 9, null)
    ) as t (key, issued_days_ago, used_days_ago, revoked_days_ago)
    returning id, claims ->> 'key' as key
)

insert into fixture_tokens (key, id)
select
    m.key,
    m.id
from made as m;
-- A used token that has not expired (say the token life was raised) stays, however old its
-- use: presenting it again must still revoke its family.
update app_private.refresh_tokens
set used_at = now() - interval '40 days', expires_at = now() + interval '5 days'
where id = (
    select f.id from fixture_tokens as f
    where f.key = 'kept_used_live'
);

set local role brigade_owner;
select is(app_private.purge_refresh_tokens(), 3, 'The job deletes three tokens.');
reset role;

select results_eq(
    $$select f.key from fixture_tokens as f
    where exists (select 1 from app_private.refresh_tokens as t where t.id = f.id)
    order by f.key$$,
    $$values ('kept_expired_lately'), ('kept_live'), ('kept_used_lately'), ('kept_used_live')$$,
    'Gone: expired, used or revoked over 30 days ago. Kept: expired lately, used lately, live, '
    || 'and used but not expired.'
);

set local role brigade_owner;
select is(app_private.purge_refresh_tokens(), 0, 'A second run finds nothing to delete.');
reset role;

select * from finish();
rollback;
