-- api.create_webhook: owners and restaurant-wide managers subscribe a URL to event types; the
-- answer holds the signing secret once, stored encrypted with the key the API passes.
begin;
\ir ../policies/_fixtures/matrix.ddl
\ir ../policies/_fixtures/webhooks.ddl
select plan(20);

create temporary table before_calls as
select s.id from app.webhook_subscriptions as s;
grant select on before_calls to staff;
create temporary table created (body jsonb);
grant insert, select on created to staff;

-- Refusals first; after them, nothing was created.
select pg_temp.act_as('owner_a');
select throws_ok(
    format(
        $$select api.create_webhook(%L, '{"url": "https://b.example/x", "event_types": ["menu.changed"]}', 'k')$$,
        pg_temp.id('r_b')
    ),
    'BR404', null,
    'Another restaurant is not_found (BR404), even for an owner.'
);
select pg_temp.act_as('manager_a2');
select throws_ok(
    format(
        $$select api.create_webhook(%L, '{"url": "https://a.example/x", "event_types": ["menu.changed"]}', 'k')$$,
        pg_temp.id('r_a')
    ),
    'BR403', 'Only owners and restaurant-wide managers manage webhooks.',
    'A manager scoped to one branch may not (events span branches): forbidden (BR403).'
);
select pg_temp.act_as('waiter_a');
select throws_ok(
    format(
        $$select api.create_webhook(%L, '{"url": "https://a.example/x", "event_types": ["menu.changed"]}', 'k')$$,
        pg_temp.id('r_a')
    ),
    'BR403', null,
    'A waiter may not: forbidden (BR403).'
);
select pg_temp.act_as('owner_a');
select throws_ok(
    format(
        $$select api.create_webhook(%L, '{"url": "https://a.example/x", "event_types": ["menu.eaten"]}', 'k')$$,
        pg_temp.id('r_a')
    ),
    'BR422', null,
    'An unknown event type is validation_failed (BR422).'
);
select throws_ok(
    format(
        $$select api.create_webhook(%L, '{"url": "https://a.example/x", "event_types": []}', 'k')$$,
        pg_temp.id('r_a')
    ),
    'BR422', 'event_types needs at least one type.',
    'No event type at all is validation_failed (BR422).'
);
select throws_ok(
    format(
        $$select api.create_webhook(%L, '{"url": "ftp://a.example/x", "event_types": ["menu.changed"]}', 'k')$$,
        pg_temp.id('r_a')
    ),
    'BR422', null,
    'A URL that is not http(s) is validation_failed (BR422).'
);
select throws_ok(
    format(
        $$select api.create_webhook(%L, '{"url": "https://user:pw@a.example/x", "event_types": ["menu.changed"]}', 'k')$$,
        pg_temp.id('r_a')
    ),
    'BR422', null,
    'A URL with credentials in it is validation_failed (BR422).'
);
select throws_ok(
    format(
        $$select api.create_webhook(%L, '{"url": "https://a.example/x", "event_types": ["menu.changed"], "secret": "mine"}', 'k')$$,
        pg_temp.id('r_a')
    ),
    'BR422', 'Unknown field(s): secret.',
    'A body field the operation does not know (a chosen secret) is validation_failed (BR422).'
);
select throws_ok(
    format(
        $$select api.create_webhook(%L, '{"url": "https://a.example/x", "event_types": ["menu.changed"]}')$$,
        pg_temp.id('r_a')
    ),
    'BR422', 'BRIGADE_WEBHOOK_KEY is not set: webhook secrets cannot be stored.',
    'Without the encryption key nothing is stored (BR422 webhook_key_missing).'
);
select is_empty(
    'select s.id from app.webhook_subscriptions as s except select b.id from before_calls as b',
    'After the refused calls no webhook was created.'
);

-- The owner subscribes.
insert into created
select api.create_webhook(
    pg_temp.id('r_a'),
    '{"url": "https://hooks.a.example/brigade?x=1", "event_types": ["order.ready", "menu.changed", "order.ready"]}',
    'the-key'
);
select pg_temp.act_as(null);
select is(
    (select body - 'id' - 'created_at' - 'secret' from created),
    jsonb_build_object(
        'restaurant_id', pg_temp.id('r_a'),
        'url', 'https://hooks.a.example/brigade?x=1',
        'event_types', '["order.ready", "menu.changed"]'::jsonb,
        'active', true,
        'failure_count', 0,
        'disabled_at', null
    ),
    'The answer is the subscription, event types without duplicates, active.'
);
select matches(
    (select body ->> 'secret' from created),
    '^whsec_[0-9a-f]{48}$',
    'The answer holds the signing secret: whsec_ and 24 random bytes in hex.'
);
select is(
    (
        select extensions.pgp_sym_decrypt(s.secret, 'the-key') from app.webhook_subscriptions as s
        where s.id = (select (c.body ->> 'id')::uuid from created as c)
    ),
    (select body ->> 'secret' from created),
    'The stored secret is that secret, encrypted with the key the API passed.'
);
select is(
    (
        select position(convert_to(c.body ->> 'secret', 'UTF8') in s.secret)
        from app.webhook_subscriptions as s cross join created as c
        where s.id = (c.body ->> 'id')::uuid
    ),
    0,
    'The secret is not stored in clear.'
);
select is(
    (
        select s.created_by from app.webhook_subscriptions as s
        where s.id = (select (c.body ->> 'id')::uuid from created as c)
    ),
    pg_temp.id('u_owner_a'),
    'The subscription records who created it.'
);
select is(
    (
        select l.new_values ? 'secret' from audit.log as l
        where
            l.table_name = 'app.webhook_subscriptions'
            and l.row_id = (select c.body ->> 'id' from created as c)
    ),
    false,
    'The audit trail records the subscription without its secret.'
);

-- A restaurant-wide manager subscribes too; two answers never share a secret.
select pg_temp.act_as('manager_a');
insert into created
select api.create_webhook(
    pg_temp.id('r_a'), '{"url": "http://a.example:8080/hook", "event_types": ["order.placed"]}',
    'the-key'
);
select pg_temp.act_as(null);
select is(
    (select count(distinct body ->> 'secret')::integer from created),
    2,
    'A restaurant-wide manager subscribes as well, and gets a secret of its own.'
);

-- At most 20 per restaurant (A has 4 now).
insert into app.webhook_subscriptions (restaurant_id, url, event_types, secret)
select
    pg_temp.id('r_a') as restaurant_id,
    'https://a.example/' || g.n as url,
    '{menu.changed}' as event_types,
    '\x00' as secret
from generate_series(1, 16) as g (n);
select pg_temp.act_as('owner_a');
select throws_ok(
    format(
        $$select api.create_webhook(%L, '{"url": "https://a.example/21", "event_types": ["menu.changed"]}', 'k')$$,
        pg_temp.id('r_a')
    ),
    'BR409', 'A restaurant has at most 20 webhooks.',
    'The 21st webhook of a restaurant is a conflict (BR409 too_many_webhooks).'
);
select pg_temp.act_as('owner_b');
select lives_ok(
    format(
        $$select api.create_webhook(%L, '{"url": "https://b.example/2", "event_types": ["menu.changed"]}', 'k')$$,
        pg_temp.id('r_b')
    ),
    'The limit is per restaurant: B still subscribes.'
);

select pg_temp.act_as('customer_s1');
select throws_ok(
    format(
        $$select api.create_webhook(%L, '{"url": "https://a.example/x", "event_types": ["menu.changed"]}', 'k')$$,
        pg_temp.id('r_a')
    ),
    '42501', null,
    'A customer cannot call it at all (42501).'
);
select pg_temp.act_as(null);

select * from finish();
rollback;
