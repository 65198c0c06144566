create or replace function meta.cron_failures(since interval default interval '1 hour')
returns table (jobname text, failures bigint)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
    -- Every scheduled job with its failed runs since now() - since (0 when it is fine), for
    -- /metrics. No rows where pg_cron is not installed. Cheap: cron.job_run_details is kept
    -- to a week by the purge-cron-history job.
    if pg_catalog.to_regclass('cron.job_run_details') is null then
        return;
    end if;
    return query execute
        'select j.jobname::text, count(r.runid) '
        'from cron.job as j '
        'left join cron.job_run_details as r '
        '    on r.jobid = j.jobid and r.status = ''failed'' and r.start_time >= now() - $1 '
        'group by j.jobname order by j.jobname'
    using cron_failures.since;
end;
$$;
comment on function meta.cron_failures(interval) is
'Failed pg_cron runs per job over a recent window, for /metrics (the API role reads no cron table).';
revoke all on function meta.cron_failures(interval) from public;
grant execute on function meta.cron_failures(interval) to authenticator;
