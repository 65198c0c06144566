create or replace function app_private.create_platform_admin(
    email text, password text, name text, totp_secret text, totp_key text
)
returns uuid
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_user uuid;
begin
    -- Called by operators (brigade admin create-platform-admin), never over HTTP.
    if length(coalesce(create_platform_admin.password, '')) < 12 then
        raise exception using errcode = 'BR422',
            message = 'A platform admin password needs 12 characters or more.',
            hint = 'validation_failed';
    end if;
    if coalesce(create_platform_admin.totp_key, '') = '' then
        raise exception using errcode = 'BR422', message = 'BRIGADE_TOTP_KEY is not set.',
            hint = 'validation_failed';
    end if;
    insert into app.users (email, name)
    values (lower(trim(create_platform_admin.email)), create_platform_admin.name)
    on conflict on constraint users_email_key do update set name = excluded.name
    returning id into v_user;
    insert into app_private.credentials (user_id, password_hash)
    values (v_user, extensions.crypt(create_platform_admin.password, extensions.gen_salt('bf', 8)))
    on conflict on constraint credentials_pkey do update
        set password_hash = excluded.password_hash, updated_at = now();
    insert into app_private.platform_admins (user_id, totp_secret)
    values (
        v_user,
        extensions.pgp_sym_encrypt_bytea(
            app_private.base32_decode(create_platform_admin.totp_secret),
            create_platform_admin.totp_key
        )
    )
    on conflict on constraint platform_admins_pkey do update set totp_secret = excluded.totp_secret, last_totp_step = 0;
    return v_user;
end;
$$;
comment on function app_private.create_platform_admin(text, text, text, text, text) is
'Creates or resets a platform admin with a password and an encrypted TOTP secret.';
revoke all on function app_private.create_platform_admin(text, text, text, text, text) from public;
