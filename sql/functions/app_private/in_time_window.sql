create or replace function app_private.in_time_window(
    available_from time, available_until time, at_time time
)
returns boolean
language sql
immutable
set search_path = ''
as $$
    -- No window: always. A window may wrap midnight (22:00-02:00).
    select in_time_window.available_from is null
        or case
            when in_time_window.available_from <= in_time_window.available_until
                then in_time_window.at_time >= in_time_window.available_from
                and in_time_window.at_time < in_time_window.available_until
            else in_time_window.at_time >= in_time_window.available_from
                or in_time_window.at_time < in_time_window.available_until
        end
$$;
comment on function app_private.in_time_window(time, time, time) is
'Whether a local time falls in an item''s serving window (which may wrap midnight).';
revoke all on function app_private.in_time_window(time, time, time) from public;
