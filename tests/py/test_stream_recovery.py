"""Kitchen streams across database trouble: a PostgreSQL restart, a killed LISTEN backend.

These run against a private cluster of their own (tests/py/world.py `private_cluster`, the
approach of test_http_core.py), so stopping PostgreSQL disturbs no other test. A kitchen
never loses a ticket: every stream gets every ticket exactly once (counted by ticket id),
streams that stay open survive the restart, and screens that were away replay what they
missed with Last-Event-ID.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import psycopg
import pytest
from conftest import running_server
from world import (
    Cluster,
    Message,
    Restaurant,
    Stream,
    WorldBuilder,
    call,
    kds_path,
    ok,
    open_stream,
    private_cluster,
    raise_ip_limits,
)

LIVE, AWAY = 10, 10


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with private_cluster() as c:
        with psycopg.connect(c.url, autocommit=True) as conn:
            raise_ip_limits(conn)
        yield c


def sql(cluster: Cluster, query: str, params: Any = None) -> list[tuple[Any, ...]]:
    """A fresh superuser connection per statement: the cluster is restarted under us."""
    with psycopg.connect(cluster.url, autocommit=True, connect_timeout=3) as conn:
        return conn.execute(query, params or []).fetchall()


def log(cluster: Cluster, r: Restaurant, after: int = 0) -> list[tuple[int, str]]:
    return [
        (i, t)
        for i, t in sql(
            cluster,
            "select id, type from queue.events where branch_id = %s and id > %s order by id",
            [r.branch_id, after],
        )
    ]


def tickets_of(cluster: Cluster, order_id: str) -> set[str]:
    rows = sql(cluster, "select id::text from app.tickets where order_id = %s", [order_id])
    return {row[0] for row in rows}


def accepted(order_id: str):
    def done(events: list[Message]) -> bool:
        return any(
            m.event == "order.status" and m.json == {"order_id": order_id, "status": "accepted"}
            for m in events
        )

    return done


def order(c: httpx.Client, r: Restaurant, n: int) -> dict[str, Any]:
    """An order of three stations (three tickets); retried while the API answers 503 (the
    first requests after a restart may meet pool connections that died with the server)."""
    guest = r.guests[n % len(r.guests)]
    body = r.order_body(("steak", 1), ("lemonade", 1), ("fries", 1))
    deadline = time.monotonic() + 15
    while True:
        resp = call(c, guest.token, "POST", f"/v1/sessions/{guest.session_id}/orders", body)
        if resp.status_code != 503 or time.monotonic() > deadline:
            return ok(resp, 201)
        time.sleep(0.2)


def wait_ready(c: httpx.Client) -> None:
    deadline = time.monotonic() + 30
    while c.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, "the API did not come back"
        time.sleep(0.1)


def seen(stream: Stream) -> list[tuple[int, str]]:
    return [(m.eid, m.event or "") for m in stream.events if m.id is not None]


def assert_every_ticket_once(stream: Stream, expected: set[str]) -> None:
    counts = Counter(stream.ticket_ids())
    assert set(counts) == expected
    assert set(counts.values()) == {1}, counts


def test_streams_survive_a_database_restart_and_miss_nothing(cluster, mint):
    with (
        running_server(
            cluster.url,
            BRIGADE_SSE_HEARTBEAT_SECONDS="0.5",
            BRIGADE_POOL_TIMEOUT="1",
            BRIGADE_CONNECT_TIMEOUT="1",
        ) as base,
        httpx.Client(base_url=base, timeout=15) as c,
        ExitStack() as streams,
    ):
        with psycopg.connect(cluster.url, autocommit=True) as admin:
            r = WorldBuilder(c, admin, mint).restaurant("restart", auto_accept=True, tables=2)
        # Twenty screens: ten stay connected throughout, ten will be away during the restart.
        screens = [
            streams.enter_context(open_stream(c, kds_path(r), r.kitchen))
            for _ in range(LIVE + AWAY)
        ]
        first = order(c, r, 0)
        for s in screens:
            s.read_until(accepted(first["id"]))
        live, away = screens[:LIVE], screens[LIVE:]
        for s in away:  # their network drops
            s.response.close()
        last_read = {id(s): s.last_id for s in away}
        before_restart = order(c, r, 1)  # committed, not yet read by anyone

        cluster.control("stop")
        assert c.get("/readyz").status_code == 503
        down = call(c, r.kitchen, "GET", f"/v1/branches/{r.branch_id}/tickets")
        assert down.status_code == 503, down.text
        cluster.control("start")
        wait_ready(c)
        after = [order(c, r, n) for n in (2, 3)]

        # The away screens come back with Last-Event-ID (half as a header, half in the URL).
        back = []
        for n, s in enumerate(away):
            since = last_read[id(s)]
            if n % 2:
                path, header = kds_path(r, last_event_id=since), None
            else:
                path, header = kds_path(r), since
            back.append(
                streams.enter_context(open_stream(c, path, r.kitchen, last_event_id=header))
            )
        for s in [*live, *back]:
            s.read_until(accepted(after[-1]["id"]), timeout=15)

        later = set().union(*(tickets_of(cluster, o["id"]) for o in (before_restart, *after)))
        assert len(later) == 9
        whole_log = log(cluster, r)
        for s in live:
            # Never cut off: one stream, every event once, in order, nothing skipped.
            assert_every_ticket_once(s, later | tickets_of(cluster, first["id"]))
            assert seen(s) == whole_log
        for s, old in zip(back, away, strict=True):
            # What was committed before the restart and never read is replayed, then live.
            assert_every_ticket_once(s, later)
            assert seen(s) == log(cluster, r, last_read[id(old)])
            assert seen(old) + seen(s) == whole_log


def test_a_killed_listener_reconnects_and_streams_go_on(cluster, mint):
    # No polling safety net worth the name: delivery must come from LISTEN again.
    with (
        psycopg.connect(cluster.url, autocommit=True) as admin,
        running_server(
            cluster.url, BRIGADE_SSE_HEARTBEAT_SECONDS="0.5", BRIGADE_EVENTS_POLL_SECONDS="60"
        ) as base,
        httpx.Client(base_url=base, timeout=15) as c,
        ExitStack() as stack,
    ):
        r = WorldBuilder(c, admin, mint).restaurant("listener", auto_accept=True, tables=2)
        screens = [stack.enter_context(open_stream(c, kds_path(r), r.kitchen)) for _ in range(3)]
        first = order(c, r, 0)
        for s in screens:
            s.read_until(accepted(first["id"]), timeout=5)

        listening = "select pid from pg_stat_activity where application_name = 'brigade-listener'"
        old = {pid for (pid,) in sql(cluster, listening)}
        assert old
        killed = sql(
            cluster,
            "select pg_terminate_backend(pid) from pg_stat_activity "
            "where application_name = 'brigade-listener'",
        )
        assert killed
        assert all(k for (k,) in killed)
        during = order(c, r, 1)  # while the listener is away: its wake-up is lost
        deadline = time.monotonic() + 10
        while not ({pid for (pid,) in sql(cluster, listening)} - old):
            assert time.monotonic() < deadline, "the listener did not reconnect"
            time.sleep(0.05)
        afterwards = order(c, r, 2)
        started = time.monotonic()
        for s in screens:
            s.read_until(accepted(afterwards["id"]), timeout=10)
        assert time.monotonic() - started < 5, "delivered by polling, not by LISTEN"
        expected = set().union(*(tickets_of(cluster, o["id"]) for o in (first, during, afterwards)))
        for s in screens:
            assert_every_ticket_once(s, expected)
            assert seen(s) == log(cluster, r)
