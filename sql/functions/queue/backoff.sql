create or replace function queue.backoff(attempts integer)
returns interval
language sql
volatile
set search_path = ''
as $$
    -- Exponential with "equal jitter": the k-th failure waits between d/2 and d seconds,
    -- d = min(3600, 2 * 2^(k-1)): 1-2 s, 2-4 s, 4-8 s, ... up to 30-60 min. The floor keeps
    -- retries spaced; the random half spreads a burst of failures over time.
    select pg_catalog.make_interval(secs => d.seconds / 2 + pg_catalog.random() * d.seconds / 2)
    from (
        select least(3600, 2 * pg_catalog.power(2, least(greatest(backoff.attempts, 1), 32) - 1))
            as seconds
    ) as d
$$;
comment on function queue.backoff(integer) is
'How long a task waits after its k-th failure: exponential from 2 s, capped at 1 h, jittered.';
revoke all on function queue.backoff(integer) from public;
grant execute on function queue.backoff(integer) to worker;
