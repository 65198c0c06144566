create or replace function app.staff_has_pin(membership_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
    -- Definer: PIN hashes live in app_private; only the yes/no of one's own restaurant leaves.
    select exists (
        select 1
        from app_private.staff_pins as p
        where
            p.restaurant_id = auth.restaurant_id()
            and p.membership_id = staff_has_pin.membership_id
    )
$$;
comment on function app.staff_has_pin(uuid) is
'Whether a staff member of the caller''s restaurant has a PIN (the hash itself never leaves).';
revoke all on function app.staff_has_pin(uuid) from public;
grant execute on function app.staff_has_pin(uuid) to staff;
