create or replace function api.onboard(
    activation_code text, restaurant jsonb, owner jsonb, client_ip text default null
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_wait integer := app_private.rate_limit('activation_ip', coalesce(onboard.client_ip, 'unknown'));
    v_code app.onboarding_codes;
    v_email text := lower(trim(owner ->> 'email'));
    v_user app.users;
    v_hash text;
    v_restaurant app.restaurants;
    v_branch uuid;
    v_claims jsonb;
begin
    if v_wait > 0 then
        return app_private.problem(429, 'rate_limited', 'Too many activation attempts.', v_wait);
    end if;
    perform app.require_keys(onboard.restaurant, array['name', 'slug', 'currency', 'timezone', 'locale']);
    perform app.require_keys(onboard.owner, array['email', 'password', 'name']);
    if length(coalesce(owner ->> 'password', '')) < 10 then
        raise exception using errcode = 'BR422', message = 'The password needs 10 characters or more.',
            hint = 'validation_failed';
    end if;
    if not exists (
        select 1 from pg_catalog.pg_timezone_names as z where z.name = restaurant ->> 'timezone'
    ) then
        raise exception using errcode = 'BR422', message = 'Unknown time zone.',
            hint = 'validation_failed';
    end if;

    select c.* into v_code
    from app.onboarding_codes as c
    where c.code_hash = app_private.sha256(upper(trim(onboard.activation_code)))
        and c.used_at is null
        and c.expires_at > now()
    for update;
    if not found then
        return app_private.problem(
            409, 'activation_code_invalid', 'This activation code is unknown, used or expired.'
        );
    end if;
    if exists (select 1 from app.restaurants as r where r.slug = restaurant ->> 'slug') then
        return app_private.problem(409, 'slug_taken', 'That slug is taken; choose another.');
    end if;

    -- An existing person may open another restaurant, proving it is them with their password.
    select u.* into v_user from app.users as u where u.email = v_email;
    if found then
        select c.password_hash into v_hash from app_private.credentials as c where c.user_id = v_user.id;
        if v_hash is null or extensions.crypt(owner ->> 'password', v_hash) <> v_hash then
            return app_private.problem(
                409, 'email_taken', 'That email has an account; use its password to add a restaurant.'
            );
        end if;
    else
        insert into app.users (email, name) values (v_email, owner ->> 'name') returning * into v_user;
        insert into app_private.credentials (user_id, password_hash)
        values (v_user.id, extensions.crypt(owner ->> 'password', extensions.gen_salt('bf', 8)));
    end if;

    insert into app.restaurants (name, slug, currency, timezone, locale, plan)
    values (
        restaurant ->> 'name',
        restaurant ->> 'slug',
        restaurant ->> 'currency',
        restaurant ->> 'timezone',
        coalesce(restaurant ->> 'locale', 'en'),
        v_code.plan
    )
    returning * into v_restaurant;
    insert into app.branches (restaurant_id, name, timezone)
    values (v_restaurant.id, 'Main', v_restaurant.timezone)
    returning id into v_branch;
    insert into app.stations (restaurant_id, branch_id, name, is_default)
    values (v_restaurant.id, v_branch, 'Kitchen', true);
    insert into app.memberships (restaurant_id, user_id, role)
    values (v_restaurant.id, v_user.id, 'owner');
    update app.onboarding_codes as c set used_at = now(), restaurant_id = v_restaurant.id
    where c.id = v_code.id;

    v_claims := app_private.staff_claims(v_user.id, v_restaurant.id);
    return jsonb_build_object(
        'status', 201,
        'claims', v_claims,
        'refresh_token', app_private.issue_refresh_token(v_user.id, v_restaurant.id, v_claims),
        'body', jsonb_build_object(
            'restaurant', app.restaurant_json(v_restaurant),
            'branch_id', v_branch,
            'owner', jsonb_build_object('id', v_user.id, 'email', v_user.email, 'name', v_user.name)
        )
    );
end;
$$;
comment on function api.onboard(text, jsonb, jsonb, text) is
'Turn an onboarding code into a restaurant, its first branch, its owner and tokens, at once.';
revoke all on function api.onboard(text, jsonb, jsonb, text) from public;
grant execute on function api.onboard(text, jsonb, jsonb, text) to anon, customer, staff, platform;
