create or replace function queue.release(id bigint, worker text)
returns boolean
language plpgsql
volatile
set search_path = ''
as $$
begin
    -- A stopping worker hands back a task it claimed but will not finish: pending again at
    -- once, in its old place. The attempt of the claim stays counted, so a task that is
    -- released again and again (a worker restarting in a loop) still ends.
    update queue.tasks as t
    set
        state = 'pending',
        locked_by = null,
        lease_until = null,
        updated_at = pg_catalog.now()
    where t.id = release.id and t.state = 'running' and t.locked_by = release.worker;
    if not found then
        return false;
    end if;
    perform pg_catalog.pg_notify('queue', '');
    return true;
end;
$$;
comment on function queue.release(bigint, text) is
'Hands a claimed task back to the queue at once (a worker that stops); false if not held.';
revoke all on function queue.release(bigint, text) from public;
grant execute on function queue.release(bigint, text) to worker;
