create or replace function app.translations_field(body jsonb, key text, allowed text[])
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_value jsonb := body -> translations_field.key;
    v_lang text;
    v_texts jsonb;
    v_field text;
    v_limit integer;
begin
    -- Shape: {"<lang>": {"name": "...", "description": "..."}}, the fields a guest reads.
    if v_value is null or v_value = 'null'::jsonb then
        return null;
    end if;
    if pg_catalog.jsonb_typeof(v_value) <> 'object' then
        raise exception using errcode = 'BR422',
            message = pg_catalog.format(
                '%s must be an object by language, like {"ar": {"name": "..."}}.',
                translations_field.key
            ),
            hint = 'validation_failed';
    end if;
    for v_lang, v_texts in select t.key, t.value from pg_catalog.jsonb_each(v_value) as t loop
        if v_lang !~ '^[a-z]{2}(-[A-Z]{2})?$' then
            raise exception using errcode = 'BR422',
                message = pg_catalog.format(
                    '%s: "%s" is not a language code like "en", "ar" or "pt-BR".',
                    translations_field.key, pg_catalog.left(v_lang, 20)
                ),
                hint = 'validation_failed';
        end if;
        if pg_catalog.jsonb_typeof(v_texts) <> 'object' then
            raise exception using errcode = 'BR422',
                message = pg_catalog.format(
                    '%s.%s must be an object with %s.', translations_field.key, v_lang,
                    pg_catalog.array_to_string(allowed, ' and/or ')
                ),
                hint = 'validation_failed';
        end if;
        for v_field in select k from pg_catalog.jsonb_object_keys(v_texts) as k order by k loop
            if v_field <> all(allowed) then
                raise exception using errcode = 'BR422',
                    message = pg_catalog.format(
                        '%s.%s: unknown field %s (translatable: %s).', translations_field.key,
                        v_lang, pg_catalog.left(v_field, 40), pg_catalog.array_to_string(allowed, ', ')
                    ),
                    hint = 'validation_failed';
            end if;
            v_limit := case v_field when 'description' then 2000 else 160 end;
            if pg_catalog.jsonb_typeof(v_texts -> v_field) <> 'string'
                or pg_catalog.btrim(v_texts ->> v_field) = ''
                or pg_catalog.length(v_texts ->> v_field) > v_limit then
                raise exception using errcode = 'BR422',
                    message = pg_catalog.format(
                        '%s.%s.%s must be a non-blank string of at most %s characters.',
                        translations_field.key, v_lang, v_field, v_limit
                    ),
                    hint = 'validation_failed';
            end if;
        end loop;
    end loop;
    return v_value;
end;
$$;
comment on function app.translations_field(jsonb, text, text[]) is
'A translations field of a request body, checked: {"<lang>": {<translatable field>: text}}.';
revoke all on function app.translations_field(jsonb, text, text[]) from public;
grant execute on function app.translations_field(jsonb, text, text[]) to staff, platform, customer;
