"""The queue and `brigade worker` with real processes, real connections, real signals.

Each test gets its own database cloned from the suite's template, so the workers of one
test never see another test's tasks. Handlers that must be observed are replaced in that
database by versions that also record who ran them (`app.task_noop`, `app.task_sleep`):
the worker does not know, it calls them as it calls any SQL handler.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from conftest import BRIGADE, brigade_cli, running_server, server_env
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb

from api.settings import Settings, with_credentials

# Replaces the test utility handlers with versions that record each committed run.
RECORDING_HANDLERS = """
create table public.executions (
    n integer,
    worker text not null default current_setting('application_name'),
    at timestamptz not null default clock_timestamp()
);
grant insert on public.executions to worker;
create or replace function app.task_noop(payload jsonb)
returns void language sql volatile set search_path = '' as $$
    insert into public.executions (n) values ((task_noop.payload ->> 'n')::integer)
$$;
create or replace function app.task_sleep(payload jsonb)
returns void language sql volatile set search_path = '' as $$
    select pg_catalog.pg_sleep((task_sleep.payload ->> 'seconds')::double precision);
    insert into public.executions (n) values ((task_sleep.payload ->> 'n')::integer)
$$;
"""


def eventually(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll `check` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for: {what}")
        time.sleep(0.05)


@pytest.fixture
def queue_db(scratch_db: Callable[[], str]) -> str:
    """A database of its own, as a URL: the settings derive the worker's and the API's
    connections from DATABASE_URL by swapping the user in a URL (not in key=value form)."""
    params = conninfo_to_dict(scratch_db())
    url = "postgresql://{user}@{host}:{port}/{dbname}".format(**params)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(RECORDING_HANDLERS)
    return url


@pytest.fixture
def db(queue_db: str) -> Iterator[psycopg.Connection]:
    """Superuser connection to the test's database, autocommit."""
    with psycopg.connect(queue_db, autocommit=True) as conn:
        yield conn


def worker_url(database_url: str, settings: Settings) -> str:
    return with_credentials(database_url, "worker", settings.worker_password)


class WorkerProcess:
    def __init__(self, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.proc = proc
        self.log = log

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def application_name(self) -> str:
        return f"brigade-worker {self.proc.pid}"

    def output(self) -> str:
        return self.log.read_text()

    def terminate_and_wait(self, timeout: float = 20) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    """Starts real `brigade worker` processes; kills any still running at the end."""
    started: list[WorkerProcess] = []

    def _start(database_url: str, **settings: object) -> WorkerProcess:
        overrides = {"BRIGADE_LOG_LEVEL": "info", "BRIGADE_WORKER_POLL_SECONDS": "0.2"}
        overrides.update({f"BRIGADE_WORKER_{k.upper()}": str(v) for k, v in settings.items()})
        env = server_env(database_url, **overrides)
        log = tmp_path / f"worker-{len(started)}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([BRIGADE, "worker"], env=env, stdout=out, stderr=out)
        worker = WorkerProcess(proc, log)
        started.append(worker)
        eventually(
            lambda: "worker started" in worker.output() or proc.poll() is not None,
            20,
            "the worker to start",
        )
        assert proc.poll() is None, worker.output()
        return worker

    yield _start
    for worker in started:
        if worker.proc.poll() is None:
            worker.proc.kill()
            worker.proc.wait()


def enqueue_many(db: psycopg.Connection, type_: str, payloads: list[dict], **kw: Any) -> None:
    """One transaction, like a business change that enqueues its follow-up work."""
    with db.transaction():
        db.execute(
            "select queue.enqueue(%s, p, priority => %s::smallint) from unnest(%s::jsonb[]) as p",
            [type_, kw.get("priority", 0), [Jsonb(p) for p in payloads]],
        )


def counts(db: psycopg.Connection) -> dict[str, int]:
    rows = db.execute("select state, count(*) from queue.tasks group by state").fetchall()
    return dict(rows)


# --- concurrency and transactions, at the SQL level --------------------------------------


def test_two_concurrent_claimers_skip_each_others_locked_tasks(db, queue_db, settings):
    """SKIP LOCKED: a claim in flight does not block another claimer, nor share its tasks."""
    enqueue_many(db, "noop", [{"n": n} for n in range(1, 1001)])
    url = worker_url(queue_db, settings)
    with psycopg.connect(url) as a, psycopg.connect(url) as b:
        # A claims and keeps its transaction (and the row locks) open.
        first_a = {r[0] for r in a.execute("select id from queue.claim('a', 10)").fetchall()}
        # B must neither wait for A's locks nor get A's tasks.
        b.execute("set lock_timeout = '500ms'")
        first_b = {r[0] for r in b.execute("select id from queue.claim('b', 10)").fetchall()}
        assert len(first_a) == len(first_b) == 10
        assert not first_a & first_b
        a.rollback()  # A's claim never happened: its tasks are pending again
        b.commit()
    assert counts(db) == {"pending": 990, "running": 10}

    # Two claimers racing over the rest, each in its own thread and session.
    claimed: dict[str, list[int]] = {"a": [], "b": []}

    def drain(name: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            while True:
                rows = conn.execute("select id from queue.claim(%s, 7)", [name]).fetchall()
                if not rows:
                    return
                claimed[name] += [r[0] for r in rows]

    threads = [threading.Thread(target=drain, args=(name,)) for name in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    both = claimed["a"] + claimed["b"]
    assert len(both) == len(set(both)) == 990, "a task was claimed twice, or one was missed"
    assert claimed["a"]
    assert claimed["b"]


def _notifications(listener: psycopg.Connection, wait: float) -> list[str]:
    """Payloads of the notifications that arrive within `wait` seconds."""
    return [n.payload for n in listener.notifies(timeout=wait, stop_after=None)]


def test_enqueue_belongs_to_the_callers_transaction_and_notifies_once(db, queue_db, settings):
    url = worker_url(queue_db, settings)
    with psycopg.connect(url, autocommit=True) as listener, psycopg.connect(url) as conn:
        listener.execute("listen queue")

        # Rolled back: no task, no wake-up.
        conn.execute("select queue.enqueue('noop', '{\"n\": 1}')")
        conn.execute("select queue.enqueue('noop', '{\"n\": 2}')")
        conn.rollback()
        assert counts(db) == {}
        assert _notifications(listener, 0.3) == []

        # Committed: three tasks, one NOTIFY without payload.
        for n in (3, 4, 5):
            conn.execute("select queue.enqueue('noop', %s)", [Jsonb({"n": n})])
        conn.commit()
        assert counts(db) == {"pending": 3}
        assert _notifications(listener, 0.3) == [""]

        # Debounced onto a pending task: nothing new to do, nobody woken.
        conn.execute("select queue.enqueue('noop', dedupe_key => 'k')")
        conn.commit()
        assert _notifications(listener, 0.3) == [""]
        conn.execute("select queue.enqueue('noop', dedupe_key => 'k')")
        conn.commit()
        assert counts(db) == {"pending": 4}
        assert _notifications(listener, 0.3) == []

        # Due later: the workers' polling finds it; no wake-up now.
        conn.execute("select queue.enqueue('noop', run_at => now() + interval '1 hour')")
        conn.commit()
        assert _notifications(listener, 0.3) == []


# --- real worker processes ----------------------------------------------------------------


def test_two_workers_run_5000_tasks_each_exactly_once(db, queue_db, start_worker):
    workers = [start_worker(queue_db, concurrency=4, batch=25) for _ in range(2)]
    total = 5000
    enqueue_many(db, "noop", [{"n": n} for n in range(1, total + 1)])

    eventually(lambda: counts(db) == {"done": total}, 45, f"{total} tasks done")

    # Every task ran exactly once (a run counts only if it committed).
    runs = db.execute(
        "select count(*), count(distinct n), min(n), max(n) from public.executions"
    ).fetchone()
    assert runs == (total, total, 1, total)
    assert db.execute("select max(attempts) from queue.tasks").fetchone()[0] == 1
    by_worker = dict(
        db.execute("select worker, count(*) from public.executions group by worker").fetchall()
    )
    assert set(by_worker) == {w.application_name for w in workers}, "both workers took part"

    for w in workers:
        assert w.terminate_and_wait() == 0, w.output()
    assert '"done": ' in workers[0].output()


def test_a_killed_workers_task_completes_on_the_other_worker(db, queue_db, start_worker):
    """kill -9 mid-task: the lease expires, another worker takes the task and finishes it."""
    short = {"concurrency": 1, "batch": 1, "lease_seconds": 2}
    workers = {w.pid: w for w in (start_worker(queue_db, **short) for _ in range(2))}
    enqueue_many(db, "sleep", [{"seconds": 3, "n": 1}])
    (holder,) = eventually(
        lambda: db.execute(
            "select split_part(locked_by, ':', 2)::integer from queue.tasks where state = 'running'"
        ).fetchone(),
        10,
        "a worker to start the task",
    )
    doomed = workers.pop(holder)
    (survivor,) = workers.values()
    time.sleep(0.3)  # mid-task, its lease renewed by a heartbeat or not yet
    doomed.proc.kill()  # SIGKILL: no goodbye, no release
    doomed.proc.wait()

    task = eventually(
        lambda: db.execute(
            "select attempts, last_error from queue.tasks where state = 'done'"
        ).fetchone(),
        20,
        "the task to be done",
    )
    attempts, last_error = task
    # Two attempts: the killed one, and the survivor's, which outlived its own 2 s lease
    # (a 3 s task) thanks to its heartbeats; without them it would have been reclaimed too.
    assert attempts == 2
    assert last_error.startswith("lease expired: worker ")
    assert f":{doomed.pid}:" in last_error
    # It ran to its end once, on the survivor; the killed worker's run rolled back.
    runs = db.execute("select worker from public.executions").fetchall()
    assert runs == [(survivor.application_name,)]
    assert survivor.terminate_and_wait() == 0, survivor.output()


def test_sigterm_finishes_the_running_task_hands_the_rest_back_and_exits_0(
    db, queue_db, start_worker
):
    worker = start_worker(queue_db, concurrency=1, batch=3, lease_seconds=6)
    # One batch: a 1.5 s task runs first; the two after it are claimed but not started.
    with db.transaction():  # one commit, so that the worker claims all three at once
        enqueue_many(db, "sleep", [{"seconds": 1.5, "n": 1}], priority=0)
        enqueue_many(db, "noop", [{"n": 2}, {"n": 3}], priority=1)
    eventually(lambda: counts(db) == {"running": 3}, 10, "the batch to be claimed")
    time.sleep(0.3)

    started = time.monotonic()
    assert worker.terminate_and_wait() == 0, worker.output()
    assert time.monotonic() - started < 4, "the worker waited longer than the running task"

    rows = db.execute(
        "select t.payload ->> 'n', t.state, t.locked_by from queue.tasks as t order by 1"
    ).fetchall()
    assert rows == [("1", "done", None), ("2", "pending", None), ("3", "pending", None)]
    assert db.execute("select n from public.executions").fetchall() == [(1,)]


def test_sigterm_cancels_a_task_that_outlives_the_drain_and_hands_it_back(
    db, queue_db, start_worker
):
    worker = start_worker(queue_db, concurrency=1, batch=1, lease_seconds=2)
    enqueue_many(db, "sleep", [{"seconds": 60, "n": 1}])
    eventually(lambda: counts(db) == {"running": 1}, 10, "the long task to start")

    started = time.monotonic()
    assert worker.terminate_and_wait() == 0, worker.output()
    waited = time.monotonic() - started
    assert 1.5 < waited < 10, f"drain took {waited:.1f} s; expected about one lease (2 s)"

    assert counts(db) == {"pending": 1}, "no task is left running"
    assert db.execute("select count(*) from public.executions").fetchone()[0] == 0
    assert "cancelling them" in worker.output()


def test_a_failing_task_is_retried_with_backoff_then_dead_and_operators_see_it(
    db, queue_db, start_worker
):
    # menu_rebuild without branch_id is refused by its handler (BR422): a task that fails.
    db.execute("select queue.enqueue('menu_rebuild', '{}', max_attempts => 2)")
    worker = start_worker(queue_db, concurrency=1, batch=1)
    eventually(lambda: counts(db) == {"dead": 1}, 15, "the task to fail twice and die")
    attempts, error = db.execute("select attempts, last_error from queue.tasks").fetchone()
    assert attempts == 2
    assert error == "BR422: payload.branch_id is required."
    assert worker.terminate_and_wait() == 0

    dead = brigade_cli(queue_db, "queue", "dead")
    assert dead.returncode == 0, dead.stderr
    assert "menu_rebuild" in dead.stdout
    assert "BR422: payload.branch_id is required." in dead.stdout
    assert "1 dead task(s)" in dead.stdout

    status = brigade_cli(queue_db, "queue", "status")
    assert status.returncode == 0, status.stderr
    assert "menu_rebuild" in status.stdout
    assert "1 dead" in status.stdout

    task_id = db.execute("select id from queue.tasks").fetchone()[0]
    retry = brigade_cli(queue_db, "queue", "retry", str(task_id))
    assert retry.returncode == 0, retry.stderr
    assert counts(db) == {"pending": 1}
    again = brigade_cli(queue_db, "queue", "retry", str(task_id))
    assert again.returncode == 1
    assert "not dead" in again.stdout


def test_without_listen_the_worker_polls(db, queue_db, start_worker):
    worker = start_worker(queue_db, listen="false", poll_seconds=0.3)
    listening = db.execute(
        "select count(*) from pg_stat_activity "
        "where application_name = %s and query = 'listen queue'",
        [worker.application_name],
    ).fetchone()[0]
    assert listening == 0
    enqueue_many(db, "noop", [{"n": 1}])
    eventually(lambda: counts(db) == {"done": 1}, 5, "the polled task to be done")
    assert worker.terminate_and_wait() == 0


def test_metrics_show_queue_depth_and_oldest_age(db, queue_db):
    """/metrics of a real server reports queue figures (read as authenticator)."""
    db.execute(
        "select queue.enqueue('noop', run_at => now() - interval '1 hour') "
        "from generate_series(1, 3)"
    )
    db.execute("select queue.enqueue('noop', run_at => now() + interval '1 hour')")
    db.execute("insert into queue.tasks (type, state, finished_at) values ('noop', 'dead', now())")

    def scrape() -> dict[str, float] | None:
        text = httpx.get(f"{base}/metrics", timeout=5).text
        found = {
            line.split(" ")[0]: float(line.split(" ")[1])
            for line in text.splitlines()
            if line.startswith("brigade_queue")
        }
        return found or None

    with running_server(queue_db) as base:
        metrics = eventually(scrape, 15, "queue figures in /metrics")
    assert metrics['brigade_queue_tasks{state="pending"}'] == 4
    assert metrics['brigade_queue_tasks{state="running"}'] == 0
    assert metrics['brigade_queue_tasks{state="dead"}'] == 1
    assert metrics["brigade_queue_due_tasks"] == 3
    assert 3600 <= metrics["brigade_queue_oldest_pending_seconds"] < 3700
