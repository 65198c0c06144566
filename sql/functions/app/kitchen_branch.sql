create or replace function app.kitchen_branch(branch_id uuid, station_id uuid default null)
returns app.branches
language plpgsql
stable
set search_path = ''
as $$
declare
    v_branch app.branches;
begin
    -- A branch whose kitchen the caller may watch: staff of that branch (RLS of branches),
    -- and the station, if named, one of its stations. Anyone else: 404.
    select b.* into v_branch
    from app.branches as b
    where b.id = kitchen_branch.branch_id and b.deleted_at is null;
    if not found or auth.claims() ->> 'role' is distinct from 'staff' then
        raise exception using errcode = 'BR404', message = 'Branch not found.', hint = 'not_found';
    end if;
    if station_id is not null and not exists (
        select 1 from app.stations as st
        where st.restaurant_id = v_branch.restaurant_id and st.branch_id = v_branch.id
            and st.id = kitchen_branch.station_id
    ) then
        raise exception using errcode = 'BR404', message = 'Station not found.', hint = 'not_found';
    end if;
    return v_branch;
end;
$$;
comment on function app.kitchen_branch(uuid, uuid) is
'The branch (and station) a staff caller''s kitchen screen may show, else 404.';
revoke all on function app.kitchen_branch(uuid, uuid) from public;
grant execute on function app.kitchen_branch(uuid, uuid) to staff, customer;
