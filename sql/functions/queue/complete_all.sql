create or replace function queue.complete_all(ids bigint[], worker text)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_done integer;
begin
    -- For SQL handlers: the handlers' work and this call share one transaction, so a task's
    -- work commits exactly when it is marked done. If this worker lost any lease meanwhile
    -- (another worker may be running that task now), the whole transaction must roll back:
    -- raising makes sure it does, even when COMMIT was already sent in the same pipeline.
    update queue.tasks as t
    set
        state = 'done',
        locked_by = null,
        lease_until = null,
        finished_at = pg_catalog.now(),
        updated_at = pg_catalog.now()
    where t.id = any(complete_all.ids) and t.state = 'running' and t.locked_by = complete_all.worker;
    get diagnostics v_done = row_count;
    if v_done <> (select count(distinct i.id) from unnest(complete_all.ids) as i (id)) then
        raise exception using
            errcode = 'BR409',
            message = 'The worker lost the lease of a task it was completing.',
            hint = 'lease_lost';
    end if;
    return v_done;
end;
$$;
comment on function queue.complete_all(bigint[], text) is
'Marks a batch done in the handlers'' transaction, or raises lease_lost so that it rolls back.';
revoke all on function queue.complete_all(bigint[], text) from public;
grant execute on function queue.complete_all(bigint[], text) to worker;
