"""The pg_cron schedules as an operator sees them: `brigade jobs`, failed runs in /metrics,
and the jobs really running as the owner role (sql/jobs/, tests/sql/jobs/ for each function)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import psycopg
import pytest
from conftest import brigade_cli

JOBS = {
    "create_partitions",
    "detach_old_partitions",
    "expire_table_sessions",
    "purge_activation_codes",
    "purge_cron_history",
    "purge_done_tasks",
    "purge_idempotency_keys",
    "purge_rate_buckets",
    "purge_refresh_tokens",
    "purge_webhook_deliveries",
    "reclaim_leases",
}


def eventually(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for: {what}")
        time.sleep(0.2)


@pytest.fixture
def failed_run(admin: psycopg.Connection) -> Iterator[int]:
    """A failed run of purge_done_tasks a minute ago, in the real pg_cron history."""
    runid = admin.execute(
        """
        insert into cron.job_run_details (
            jobid, job_pid, database, username, command, status, return_message,
            start_time, end_time
        )
        select j.jobid, 1, j.database, j.username, j.command, 'failed',
            'ERROR:  pytest: a failure on purpose', now() - interval '1 minute',
            now() - interval '59 seconds'
        from cron.job as j where j.jobname = 'purge_done_tasks'
        returning runid
        """
    ).fetchone()[0]
    yield runid
    admin.execute("delete from cron.job_run_details where runid = %s", [runid])


def test_brigade_jobs_lists_every_schedule_with_its_last_run(
    admin_url: str, failed_run: int
) -> None:
    result = brigade_cli(admin_url, "jobs")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    listed = {line.split()[0] for line in lines[1:] if line and not line.startswith(" ")}
    assert listed >= JOBS
    assert lines[-1] == f"{len(JOBS)} job(s)"
    purge = next(line for line in lines if line.startswith("purge_done_tasks "))
    assert re.search(
        r"7 \* \* \* \*\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+failed\s+[\d.]+ s\s+[1-9]\d*$", purge
    )
    assert "pytest: a failure on purpose" in result.stdout
    assert "runs as" not in result.stdout, "every job runs as the owner role"


def test_brigade_jobs_says_when_pg_cron_is_not_there(scratch_db: Callable[[], str]) -> None:
    result = brigade_cli(scratch_db(), "jobs")
    assert result.returncode == 1
    assert "pg_cron is not installed in this database" in result.stderr


def cron_failures(base_url: str) -> dict[str, float]:
    text = httpx.get(f"{base_url}/metrics", timeout=5).text
    return {
        m.group(1): float(m.group(2))
        for m in re.finditer(r'^brigade_cron_failures\{job="([a-z_]+)"\} (\S+)$', text, re.M)
    }


def test_failed_runs_of_the_last_hour_show_in_metrics(base_url: str, failed_run: int) -> None:
    failures = eventually(
        lambda: (f := cron_failures(base_url)).get("purge_done_tasks", 0) >= 1 and f,
        20,
        "brigade_cron_failures{job=purge_done_tasks} in /metrics",
    )
    assert set(failures) == JOBS, "every job has a series, failing or not"


def test_the_jobs_run_as_the_owner_role_and_succeed(admin: psycopg.Connection) -> None:
    """pg_cron runs reclaim_leases at least once a minute: its runs must succeed. (A role that
    may not log in cannot run jobs: the owner role needs LOGIN, without a password.)"""
    started = admin.execute("select now()").fetchone()[0]

    def settled_run() -> tuple[str, str, str] | None:
        # A success of the last two minutes settles it; a failure only if it started after
        # this test did (an earlier one may predate the role's last bootstrap).
        return admin.execute(
            "select r.status, r.username, r.return_message from cron.job_run_details as r "
            "inner join cron.job as j using (jobid) "
            "where j.jobname = 'reclaim_leases' and r.end_time is not null "
            "and r.start_time > %(started)s - interval '2 minutes' "
            "and (r.status = 'succeeded' or r.start_time > %(started)s) "
            "order by r.runid desc limit 1",
            {"started": started},
        ).fetchone()

    status, username, message = eventually(settled_run, 75, "a run of reclaim_leases")
    assert username == "brigade_owner"
    assert status == "succeeded", message
