create or replace function app_private.rate_limit(limit_name text, subject text)
returns integer
language sql
volatile
set search_path = ''
as $$
    -- One atomic statement: refill by elapsed time, then take a token if one is there.
    -- Returns 0 when allowed, else the seconds until a token is back.
    with lim as (
        select
            l.capacity::double precision as capacity,
            l.capacity::double precision / l.per_seconds as rate
        from app_private.rate_limits as l
        where l.name = rate_limit.limit_name
    ),

    taken as (
        insert into app_private.rate_buckets as b (key, tokens, allowed, updated_at)
        select
            rate_limit.limit_name || ':' || rate_limit.subject,
            lim.capacity - 1,
            true,
            clock_timestamp()
        from lim
        on conflict (key) do update
            set
                tokens = (
                    select
                        case
                            when least(lim.capacity, b.tokens + lim.rate * extract(epoch from clock_timestamp() - b.updated_at)) >= 1
                                then least(lim.capacity, b.tokens + lim.rate * extract(epoch from clock_timestamp() - b.updated_at)) - 1
                            else least(lim.capacity, b.tokens + lim.rate * extract(epoch from clock_timestamp() - b.updated_at))
                        end
                    from lim
                ),
                allowed = (
                    select least(lim.capacity, b.tokens + lim.rate * extract(epoch from clock_timestamp() - b.updated_at)) >= 1
                    from lim
                ),
                updated_at = clock_timestamp()
        returning b.tokens, b.allowed
    )

    select
        case
            when taken.allowed then 0
            else ceil((1 - taken.tokens) / lim.rate)::integer
        end
    from taken, lim
$$;
comment on function app_private.rate_limit(text, text) is
'Takes one token from the named bucket of a subject (an IP, an account); 0 or seconds to wait.';
revoke all on function app_private.rate_limit(text, text) from public;
