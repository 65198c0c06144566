-- SQL-standard body without a SET clause (ADR 0007): names are bound at creation, and the
-- planner inlines it into the menu query and into place_order instead of calling it per item.
create or replace function app_private.in_time_window(
    available_from time, available_until time, at_time time
)
returns boolean
language sql
immutable
begin atomic
    -- No window: always. A window may wrap midnight (22:00-02:00).
    select
        available_from is null
        or case
            when available_from <= available_until
                then
                    at_time >= available_from
                    and at_time < available_until
            else
                at_time >= available_from
                or at_time < available_until
        end;
end;
comment on function app_private.in_time_window(time, time, time) is
'Whether a local time falls in an item''s serving window (which may wrap midnight).';
revoke all on function app_private.in_time_window(time, time, time) from public;
