create or replace function app_private.problem(
    status integer, code text, detail text, retry_after integer default null
)
returns jsonb
language sql
immutable
set search_path = ''
as $$
    select jsonb_build_object(
        'error',
        jsonb_strip_nulls(jsonb_build_object(
            'status', problem.status,
            'code', problem.code,
            'detail', problem.detail,
            'retry_after', problem.retry_after
        ))
    )
$$;
comment on function app_private.problem(integer, text, text, integer) is
'The refusal of a sign-in attempt, returned (not raised) so its counters still commit.';
revoke all on function app_private.problem(integer, text, text, integer) from public;
