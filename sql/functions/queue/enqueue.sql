create or replace function queue.enqueue(
    type text,
    payload jsonb default '{}',
    restaurant_id uuid default null,
    priority smallint default 0,
    run_at timestamptz default now(),
    dedupe_key text default null,
    max_attempts integer default 10
)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
#variable_conflict use_column
declare
    v_id bigint;
begin
    -- Runs in the caller's transaction: the task exists only if the caller's change commits.
    loop
        insert into queue.tasks as t (
            type, payload, restaurant_id, priority, run_at, max_attempts, dedupe_key
        )
        values (
            enqueue.type,
            coalesce(enqueue.payload, '{}'),
            enqueue.restaurant_id,
            coalesce(enqueue.priority, 0),
            coalesce(enqueue.run_at, pg_catalog.now()),
            coalesce(enqueue.max_attempts, 10),
            enqueue.dedupe_key
        )
        on conflict (dedupe_key) where state = 'pending' and attempts = 0 and dedupe_key is not null
        do nothing
        returning t.id into v_id;
        exit when v_id is not null;
        -- Debounced: the untried pending task of this key does the work; nothing is created
        -- and nobody needs waking. If a worker claimed it between the two statements, the
        -- insert is tried again.
        select t.id into v_id
        from queue.tasks as t
        where t.dedupe_key = enqueue.dedupe_key and t.state = 'pending' and t.attempts = 0;
        if v_id is not null then
            return v_id;
        end if;
    end loop;
    -- A wake-up without payload. PostgreSQL delivers identical notifications of one
    -- transaction once, so a transaction that enqueues many tasks still sends one NOTIFY
    -- (and takes the global notify lock once, at commit). A task due later is found by
    -- the workers' polling instead.
    if coalesce(enqueue.run_at, pg_catalog.now()) <= pg_catalog.now() then
        perform pg_catalog.pg_notify('queue', '');
    end if;
    return v_id;
end;
$$;
comment on function queue.enqueue(text, jsonb, uuid, smallint, timestamptz, text, integer) is
'Adds a task in the caller''s transaction (debounced by dedupe_key) and wakes the workers once.';
revoke all on function queue.enqueue(text, jsonb, uuid, smallint, timestamptz, text, integer)
from public;
-- Request roles get nothing: every path from a request into the queue passes through a
-- SECURITY DEFINER function or trigger that runs as the owner, which needs no grant. An
-- invoker api function must not enqueue directly: it would need EXECUTE here plus rights on
-- queue.tasks, and enqueue takes any type and payload. Give it an app_private definer
-- helper that enqueues one fixed task type instead. The worker may enqueue follow-up tasks.
grant execute on function queue.enqueue(text, jsonb, uuid, smallint, timestamptz, text, integer)
to worker;
