create or replace function queue.retry(id bigint)
returns boolean
language plpgsql
volatile
set search_path = ''
as $$
begin
    -- For operators (`brigade queue retry ID`): a dead task gets a fresh set of attempts and
    -- runs now. Its last error stays until the next attempt replaces it.
    update queue.tasks as t
    set
        state = 'pending',
        attempts = 0,
        run_at = pg_catalog.now(),
        finished_at = null,
        updated_at = pg_catalog.now()
    where t.id = retry.id and t.state = 'dead';
    if not found then
        return false;
    end if;
    perform pg_catalog.pg_notify('queue', '');
    return true;
exception
    when unique_violation then
        raise exception using
            errcode = 'BR409',
            message = 'A pending task with the same dedupe key will do this work already.',
            hint = 'already_pending';
end;
$$;
comment on function queue.retry(bigint) is
'Operators: runs a dead task again with fresh attempts; false if the task is not dead.';
revoke all on function queue.retry(bigint) from public;
