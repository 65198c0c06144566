"""SQL text of everything outside a request: the worker, task handlers, metrics collectors,
operator commands. Requests go through api/rpc.py; this is the one other place SQL lives.
Every statement calls a function of the database or reads a DBA view: the rules stay there.
"""

from psycopg import sql

# The worker (api/worker.py).
CLAIM = (
    "select id, type, payload::text, restaurant_id, priority, run_at, attempts, max_attempts "
    "from queue.claim(%s, %s, %s)"
)
# A batch of one SQL handler, {} being its function (from the registry): the handlers run
# on the stored payloads in claim order, then complete_all, which needs their count, so
# runs after all of them. Handlers return void, i.e. null: `is null` makes each call a
# value that count() counts.
SQL_BATCH = sql.SQL(
    "select queue.complete_all(%(ids)s, %(worker)s) from ("
    " select count({}(b.payload) is null) as ran from ("
    "  select t.payload from queue.tasks as t where t.id = any(%(ids)s)"
    "  order by t.priority, t.run_at, t.id"
    " ) as b"
    ") as h where h.ran = %(n)s"
)
COMPLETE = "select queue.complete(%s, %s)"
FAIL = "select queue.fail(%s, %s, %s)"
RELEASE = "select queue.release(t.id, %s) from unnest(%s::bigint[]) as t (id)"
RECLAIM_EXPIRED = "select queue.reclaim_expired()"
HEARTBEAT_LOST = (
    "select t.id from unnest(%s::bigint[]) as t (id) where not queue.heartbeat(t.id, %s, %s)"
)
LISTEN_QUEUE = "listen queue"

# `brigade queue` (api/worker.py queue_command), as the owner.
RETRY = "select queue.retry(%s)"
DEAD_TASKS = (
    "select id, type, attempts, finished_at, last_error from queue.dead_tasks "
    "order by finished_at desc, id desc limit 100"
)
DEAD_COUNT = "select count(*) from queue.dead_tasks"
QUEUE_STATUS = (
    "select type, state, tasks, extract(epoch from oldest_pending_age)::float8 from queue.status"
)

# Task handlers for the outside world (api/webhooks.py, api/notifications.py).
WEBHOOK_TARGET = "select url, secret from app.webhook_target(%s, %s, %s, %s)"
RECORD_WEBHOOK_DELIVERY = (
    "select app.record_webhook_delivery("
    "restaurant_id => %(restaurant_id)s, subscription_id => %(subscription_id)s, "
    "task_id => %(task_id)s, attempt => %(attempt)s, event_id => %(event_id)s, "
    "event_type => %(event_type)s, status_code => %(status_code)s, "
    "duration_ms => %(duration_ms)s, error => %(error)s, "
    "disable_after => %(disable_after)s, retryable => %(retryable)s)"
)
NOTIFICATION_TO_SEND = (
    "select channel, recipient, subject, body from app.notification_to_send(%s, %s)"
)
RECORD_NOTIFICATION = "select app.record_notification(%s, %s, %s, %s, %s)"

# /metrics collectors (api/observability.py), as the authenticator.
QUEUE_METRICS = "select pending, due, running, dead, oldest_pending_seconds from queue.metrics()"
CRON_FAILURES = "select jobname, failures from meta.cron_failures()"

# Operator commands (api/cli.py), as the owner: SET_ROLE takes the owner role's Identifier.
SET_ROLE = sql.SQL("set role {}")
CREATE_PLATFORM_ADMIN = "select app_private.create_platform_admin(%s, %s, %s, %s, %s)"
LOAD_DEMO = "select app_private.load_demo()"
HAS_CRON = "select to_regclass('cron.job') is not null"
# `brigade jobs`: the pg_cron schedules with their last run (sql/jobs/, run as the owner).
JOBS = """
select
    j.jobname, j.schedule, j.active, j.username, r.status, r.start_time,
    extract(epoch from r.end_time - r.start_time)::float8, r.return_message,
    (
        select count(*) from cron.job_run_details as f
        where f.jobid = j.jobid and f.status = 'failed' and f.start_time > now() - interval '1 hour'
    )
from cron.job as j
left join lateral (
    select d.* from cron.job_run_details as d where d.jobid = j.jobid order by d.runid desc limit 1
) as r on true
order by j.jobname
"""

# SSE fan-out (api/events.py): the new events of many branches in one read.
EVENTS_AFTER = (
    "select restaurant_id, branch_id, id, type, station_id, session_id, order_id, channel, payload "
    "from queue.events_after(%s::uuid[], %s::uuid[], %s::bigint[], %s)"
)
