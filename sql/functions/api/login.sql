create or replace function api.login(
    email text,
    password text,
    otp text default null,
    restaurant_id uuid default null,
    client_ip text default null,
    totp_key text default null
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_email text := lower(trim(login.email));
    v_wait integer;
    v_user app.users;
    v_hash text;
    v_admin app_private.platform_admins;
    v_step bigint := floor(extract(epoch from now()) / 30)::bigint;
    v_secret bytea;
    v_matched bigint;
    v_memberships jsonb;
    v_claims jsonb;
    v_restaurant uuid;
begin
    v_wait := greatest(
        app_private.rate_limit('login_ip', coalesce(login.client_ip, 'unknown')),
        app_private.rate_limit('login_account', v_email)
    );
    if v_wait > 0 then
        return app_private.problem(429, 'rate_limited', 'Too many sign-in attempts.', v_wait);
    end if;

    select u.* into v_user from app.users as u where u.email = v_email;
    select c.password_hash into v_hash from app_private.credentials as c where c.user_id = v_user.id;
    -- Hash even for an unknown email so timing does not tell which emails exist.
    if extensions.crypt(
        coalesce(login.password, ''),
        coalesce(v_hash, '$2a$08$0000000000000000000000000000000000000000000000000000.')
    ) is distinct from v_hash then
        return app_private.problem(401, 'invalid_credentials', 'Wrong email or password.');
    end if;

    select a.* into v_admin from app_private.platform_admins as a where a.user_id = v_user.id;
    if found then
        if login.otp is null or login.totp_key is null then
            return app_private.problem(401, 'otp_required', 'A valid one-time code is required.');
        end if;
        v_secret := extensions.pgp_sym_decrypt_bytea(v_admin.totp_secret, login.totp_key);
        select s.step into v_matched
        from generate_series(v_step - 1, v_step + 1) as s (step)
        where app_private.totp_code(v_secret, s.step) = trim(login.otp)
            and s.step > v_admin.last_totp_step
        order by s.step desc
        limit 1;
        if v_matched is null then
            return app_private.problem(401, 'otp_required', 'A valid one-time code is required.');
        end if;
        -- A code works once: replaying it within its window is refused.
        update app_private.platform_admins as a set last_totp_step = v_matched
        where a.user_id = v_user.id;
        v_claims := jsonb_build_object(
            'sub', v_user.id, 'role', 'platform', 'app_role', 'platform_admin'
        );
        v_memberships := '[]';
    else
        select coalesce(jsonb_agg(
            jsonb_build_object('restaurant_id', m.restaurant_id, 'role', m.role)
            order by m.created_at
        ), '[]') into v_memberships
        from app.memberships as m
        inner join app.restaurants as r on m.restaurant_id = r.id
        where m.user_id = v_user.id and m.deleted_at is null and r.status = 'active';

        v_restaurant := coalesce(
            login.restaurant_id,
            case when jsonb_array_length(v_memberships) = 1
                then (v_memberships -> 0 ->> 'restaurant_id')::uuid end
        );
        if v_restaurant is not null then
            v_claims := app_private.staff_claims(v_user.id, v_restaurant);
            if v_claims is null then
                return app_private.problem(
                    403, 'not_a_member', 'You are not a member of that restaurant.'
                );
            end if;
        else
            -- Several restaurants and none named: a token that names no tenant.
            v_claims := jsonb_build_object('sub', v_user.id, 'role', 'staff');
        end if;
    end if;

    return jsonb_build_object(
        'status', 200,
        'claims', v_claims,
        'refresh_token', app_private.issue_refresh_token(v_user.id, v_restaurant, v_claims),
        'body', jsonb_build_object(
            'user', jsonb_build_object('id', v_user.id, 'email', v_user.email, 'name', v_user.name),
            'memberships', v_memberships
        )
    );
end;
$$;
comment on function api.login(text, text, text, uuid, text, text) is
'Sign in with email and password (and TOTP for platform admins); rate limited per IP and account.';
revoke all on function api.login(text, text, text, uuid, text, text) from public;
grant execute on function api.login(text, text, text, uuid, text, text) to anon;
