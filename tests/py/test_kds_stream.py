"""Kitchen and order streams over real HTTP (API.md, Kitchen: SSE).

A server of this module's own sends a heartbeat comment every half second, so a reader never
waits long for a line and can check its deadline; the world is built over HTTP by
tests/py/world.py. Events are produced by real requests (orders, ticket moves), and for the
ordering proofs by concurrent SQL writers holding their transactions open.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from conftest import running_server
from world import (
    Message,
    Restaurant,
    Stream,
    WorldBuilder,
    assert_problem,
    call,
    kds_path,
    ok,
    one,
    open_stream,
    place,
)

TICKET_KEYS = {
    "id",
    "order_id",
    "order_number",
    "station_id",
    "status",
    "rush",
    "items",
    "created_at",
    "elapsed_seconds",
    "target_seconds",
}
TICKET_LINE_KEYS = {"id", "name", "quantity", "options", "note", "course", "status"}


@pytest.fixture(scope="module")
def server(admin_url: str) -> Iterator[str]:
    with running_server(admin_url, BRIGADE_SSE_HEARTBEAT_SECONDS="0.5") as base:
        yield base


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=15) as c:
        yield c


@pytest.fixture
def world(builder: WorldBuilder) -> tuple[Restaurant, Restaurant]:
    """A: orders go to the kitchen at once (auto_accept); B: another tenant."""
    return builder.restaurant("a", auto_accept=True, tables=3), builder.restaurant("b")


def logged(
    db: psycopg.Connection, r: Restaurant, after: int = 0, station: str | None = None
) -> list[tuple[int, str]]:
    """(id, type) of the branch's event log after an id, as the database has it; with a
    station: that station's events and the branch-wide ones."""
    return [
        (i, t)
        for i, t in db.execute(
            "select id, type from queue.events where branch_id = %s and id > %s "
            "and (%s::uuid is null or station_id is null or station_id = %s::uuid) order by id",
            [r.branch_id, after, station and r.stations[station], station and r.stations[station]],
        ).fetchall()
    ]


def seen(stream: Stream) -> list[tuple[int, str]]:
    return [(m.eid, m.event or "") for m in stream.events if m.id is not None]


def has_status(order_id: str, status: str):
    def done(events: list[Message]) -> bool:
        return any(
            m.event == "order.status" and m.json == {"order_id": order_id, "status": status}
            for m in events
        )

    return done


def assert_increasing(ids: list[int]) -> None:
    assert ids == sorted(set(ids)), ids


# --- what a kitchen screen sees ---------------------------------------------------------


def test_a_kitchen_screen_receives_tickets_as_they_happen(client, db, world):
    a, _ = world
    ok(place(client, a, a.guests[1], ("fries", 1)), 201)  # history the screen does not need
    start = one(db, "select max(id) from queue.events where branch_id = %s", [a.branch_id])
    with open_stream(client, kds_path(a), a.kitchen) as kds:
        assert kds.status_code == 200
        assert kds.response.headers["content-type"].startswith("text/event-stream")
        assert kds.response.headers["cache-control"] == "no-store"
        # First, where it stands: an id without data (its Last-Event-ID should it drop now).
        while not kds.markers:
            kds.next()
        assert (kds.markers, kds.events) == ([str(start)], [])
        order = ok(place(client, a, a.guests[0], ("burger", 2), ("lemonade", 1), ("fries", 1)), 201)
        kds.read_until(has_status(order["id"], "accepted"))
        assert [(m.event, m.eid) for m in kds.events] == [
            ("order.status", start + 1),
            ("ticket.created", start + 2),
            ("ticket.created", start + 3),
            ("ticket.created", start + 4),
            ("order.status", start + 5),
        ]
        assert kds.events[0].json == {"order_id": order["id"], "status": "placed"}
        tickets = {m.json["station_id"]: m.json for m in kds.of_type("ticket.created")}
        assert tickets.keys() == {a.stations["grill"], a.stations["bar"], a.stations["kitchen"]}
        for ticket in tickets.values():
            assert ticket.keys() >= TICKET_KEYS
            assert (ticket["order_id"], ticket["order_number"]) == (order["id"], order["number"])
            assert (ticket["status"], ticket["rush"]) == ("queued", False)
            for line in ticket["items"]:
                assert line.keys() >= TICKET_LINE_KEYS
                assert "unit_price" not in line  # the kitchen sees what to make, not prices
        grill = tickets[a.stations["grill"]]
        assert [(x["name"], x["quantity"]) for x in grill["items"]] == [("Burger", 2)]
        assert [o["name"] for o in grill["items"][0]["options"]] == ["Regular"]
        # The screen's list agrees with the stream.
        listed = ok(call(client, a.kitchen, "GET", f"/v1/branches/{a.branch_id}/tickets"))
        listed_now = {t["id"] for t in listed["items"] if t["order_id"] == order["id"]}
        assert listed_now == {t["id"] for t in tickets.values()}

        # The kitchen starts and bumps the grill ticket: ticket.updated each time.
        started = ok(call(client, a.kitchen, "POST", f"/v1/tickets/{grill['id']}/start"))
        assert started["status"] == "in_progress"
        kds.read_until(has_status(order["id"], "preparing"))
        bumped = ok(call(client, a.kitchen, "POST", f"/v1/tickets/{grill['id']}/bump"))
        assert bumped["status"] == "ready"
        kds.read_until(lambda ev: len([m for m in ev if m.event == "ticket.updated"]) == 2)
        updates = kds.of_type("ticket.updated")
        assert [(m.json["id"], m.json["status"]) for m in updates] == [
            (grill["id"], "in_progress"),
            (grill["id"], "ready"),
        ]
        assert updates[1].json["ready_at"] is not None
        ids = [m.eid for m in kds.events]
        assert ids == list(range(start + 1, start + 1 + len(ids)))  # every one, in order
        assert seen(kds) == logged(db, a, start)


def test_a_station_screen_gets_its_tickets_and_the_branch_wide_order_status(client, world):
    a, _ = world
    with (
        open_stream(client, kds_path(a, "grill"), a.kitchen) as grill,
        open_stream(client, kds_path(a, "bar"), a.kitchen) as bar,
        open_stream(client, kds_path(a), a.kitchen) as every,
    ):
        first = ok(place(client, a, a.guests[0], ("burger", 1), ("lemonade", 1), ("fries", 1)), 201)
        second = ok(place(client, a, a.guests[1], ("fries", 2)), 201)  # default station only
        every.read_until(has_status(second["id"], "accepted"))
        by_station = {m.json["station_id"]: m.json["id"] for m in every.of_type("ticket.created")}
        ok(call(client, a.kitchen, "POST", f"/v1/tickets/{by_station[a.stations['bar']]}/start"))
        last = ok(place(client, a, a.guests[2], ("steak", 1)), 201)  # grill, then accepted
        for stream in (grill, bar, every):
            stream.read_until(has_status(last["id"], "accepted"))

        statuses = [(m.json["order_id"], m.json["status"]) for m in every.of_type("order.status")]
        assert len(statuses) == 7  # placed + accepted x3, preparing for the first order
        for station, stream in (("grill", grill), ("bar", bar)):
            # Every order.status of the branch, and only this station's tickets.
            assert [
                (m.json["order_id"], m.json["status"]) for m in stream.of_type("order.status")
            ] == statuses
            tickets = [m.json for m in stream.of_type("ticket.created", "ticket.updated")]
            assert tickets, station
            assert {t["station_id"] for t in tickets} == {a.stations[station]}
            assert_increasing([m.eid for m in stream.events])
        assert [t["order_id"] for t in (m.json for m in grill.of_type("ticket.created"))] == [
            first["id"],
            last["id"],
        ]
        assert [t["status"] for t in (m.json for m in bar.of_type("ticket.updated"))] == [
            "in_progress"
        ]
        assert grill.of_type("ticket.updated") == []


def test_who_may_open_a_stream(client, world):
    a, b = world
    order = ok(place(client, a, a.guests[0], ("fries", 1)), 201)
    kds, order_path = kds_path(a), f"/v1/orders/{order['id']}/stream"
    for token in (a.kitchen, a.owner):  # positive controls
        with open_stream(client, kds, token) as s:
            assert s.status_code == 200
    for path, token, status, code in [
        (kds, b.owner, 404, "not_found"),  # another tenant's branch
        (kds, b.kitchen, 404, "not_found"),
        (kds, a.guests[0].token, 404, "not_found"),  # a guest of the branch
        (kds, None, 401, "unauthorized"),
        (kds_path(b), a.kitchen, 404, "not_found"),
        (
            f"/v1/branches/{a.branch_id}/kds/stream?station={b.stations['grill']}",
            a.kitchen,
            404,
            "not_found",
        ),
        (order_path, a.guests[1].token, 404, "not_found"),  # another session's guest
        (order_path, b.guests[0].token, 404, "not_found"),
        (order_path, b.owner, 404, "not_found"),
        (order_path, None, 401, "unauthorized"),
    ]:
        with open_stream(client, path, token) as s:
            assert_problem(s.response, status, code)
    with open_stream(client, kds + "?last_event_id=nope", a.kitchen) as s:
        assert_problem(s.response, 422, "validation_failed")
    with open_stream(client, order_path, a.guests[0].token) as s:
        assert s.status_code == 200
    with open_stream(client, kds, "not-a-token") as s:
        assert s.status_code == 401
        assert s.response.headers["content-type"].startswith("application/problem+json")


# --- reconnecting -------------------------------------------------------------------------


def test_reconnecting_replays_exactly_the_missed_events(client, db, world):
    a, _ = world
    guests = a.guests
    with open_stream(client, kds_path(a), a.kitchen) as kds:
        first = ok(place(client, a, guests[0], ("burger", 1), ("lemonade", 1)), 201)
        kds.read_until(lambda ev: len(ev) >= 2)  # read some, not all: then the network drops
        read = seen(kds)
    cut = read[-1][0]
    # While the screen is away: more orders, a ticket moves.
    second = ok(place(client, a, guests[1], ("steak", 1), ("fries", 1)), 201)
    ticket = ok(call(client, a.kitchen, "GET", f"/v1/branches/{a.branch_id}/tickets"))["items"][0]
    ok(call(client, a.kitchen, "POST", f"/v1/tickets/{ticket['id']}/start"))
    missed = logged(db, a, cut)
    assert len(missed) >= 8

    third: dict[str, Any] = {}
    with open_stream(client, kds_path(a), a.kitchen, last_event_id=cut) as back:
        back.read_until(lambda ev: len(ev) >= len(missed))
        assert seen(back) == missed  # exactly the missed ones, in order, once
        while not back.markers:
            back.next()
        assert back.markers == [str(missed[-1][0])]  # caught up: where it stands now
        # Then it is live again, and nothing comes twice.
        third = ok(place(client, a, guests[2], ("fries", 1)), 201)
        back.read_until(has_status(third["id"], "accepted"))
        assert seen(back) == logged(db, a, cut)
    assert second["id"] != first["id"]

    # The same with ?last_event_id= (clients that cannot set headers), and from zero.
    with open_stream(client, kds_path(a, last_event_id=cut), a.kitchen) as back:
        back.read_until(has_status(third["id"], "accepted"))
        assert seen(back) == logged(db, a, cut)
    with open_stream(client, kds_path(a), a.kitchen, last_event_id=0) as back:
        back.read_until(has_status(third["id"], "accepted"))
        assert seen(back) == logged(db, a)
    # A station screen replays only its station's tickets and the branch-wide events.
    with open_stream(client, kds_path(a, "grill"), a.kitchen, last_event_id=cut) as back:
        back.read_until(has_status(third["id"], "accepted"))
        assert seen(back) == logged(db, a, cut, "grill")
        tickets = [m.json for m in back.events if m.event != "order.status"]
        assert tickets
        assert {t["station_id"] for t in tickets} == {a.stations["grill"]}


def test_an_idle_stream_gets_heartbeat_comments(client, world):
    a, _ = world
    with open_stream(client, kds_path(a), a.kitchen) as kds:
        started = time.monotonic()
        message = kds.next()
        assert message.id == "0"  # where it stands: nothing has happened in this branch yet
        message = kds.next()
        assert message.comment == "keep-alive", message
        assert time.monotonic() - started < 1.5
        kds.read_for(0.8)
        assert kds.comments >= 2
        assert kds.events == []


def test_a_client_that_falls_behind_is_cut_off_and_replays_everything(client, db, mint, admin_url):
    """A screen that stops reading falls behind; when more events wait for it than
    BRIGADE_SSE_BUFFER (3 here, and every order of three stations is a burst of five), the
    server hangs up, and the screen replays everything with Last-Event-ID. Control: the same
    screen on a server with the default buffer is not cut off."""
    with (
        running_server(
            admin_url, BRIGADE_SSE_HEARTBEAT_SECONDS="0.5", BRIGADE_SSE_BUFFER="3"
        ) as base,
        httpx.Client(base_url=base, timeout=15) as c,
    ):
        a = WorldBuilder(c, db, mint).restaurant("slow", auto_accept=True, tables=2)
        with (
            open_stream(c, kds_path(a), a.kitchen) as slow,
            open_stream(client, kds_path(a), a.kitchen) as roomy,
        ):
            # Live at first: one order of one station is three events, within the buffer.
            warmup = ok(place(c, a, a.guests[0], ("fries", 1)), 201)
            slow.read_until(has_status(warmup["id"], "accepted"))
            # Then it stops reading while ten orders of three stations (50 events) are made.
            for n in range(10):
                ok(place(c, a, a.guests[n % 2], ("steak", 1), ("lemonade", 1), ("fries", 1)), 201)
            produced = logged(db, a)
            assert len(produced) == 53
            slow.read_to_end(timeout=5)  # the server hung up on it
            got = seen(slow)
            assert 3 <= len(got) < len(produced)
            assert got == produced[: len(got)]  # what it got was in order, with no gap
            # The screen with room was not cut off: it has everything, live.
            roomy.read_until(lambda ev: len(ev) >= len(produced))
            assert seen(roomy) == produced
        with open_stream(c, kds_path(a), a.kitchen, last_event_id=got[-1][0]) as back:
            back.read_until(lambda ev: len(ev) >= len(produced) - len(got))
            back.read_for(0.6)
            assert got + seen(back) == produced


# --- a guest's order stream ----------------------------------------------------------------


def test_a_guests_order_stream_shows_only_their_order(client, builder):
    r = builder.restaurant("guest", auto_accept=False, tables=2)
    mine = ok(place(client, r, r.guests[0], ("burger", 1), ("lemonade", 1)), 201)
    theirs = ok(place(client, r, r.guests[1], ("steak", 1)), 201)
    staff_moves = [
        ("POST", f"/v1/orders/{theirs['id']}/transition", {"to": "accepted"}),
        ("POST", f"/v1/orders/{mine['id']}/transition", {"to": "accepted"}),
    ]
    with open_stream(client, f"/v1/orders/{mine['id']}/stream", r.guests[0].token) as track:
        # Where it stands now, then where it is in the queue.
        track.read_until(lambda ev: len(ev) >= 2)
        now, position = track.events[:2]
        assert (now.event, now.id, now.json) == (
            "order.status",
            None,
            {"order_id": mine["id"], "status": "placed"},
        )
        assert position.event == "queue.position"
        assert position.json["order_id"] == mine["id"]
        assert {"position", "estimated_wait_seconds"} <= position.json.keys()
        for method, path, body in staff_moves:
            ok(call(client, r.owner, method, path, body))
        tickets = ok(call(client, r.kitchen, "GET", f"/v1/branches/{r.branch_id}/tickets"))
        for t in tickets["items"]:  # their steak first, then mine: the order becomes ready
            ok(call(client, r.kitchen, "POST", f"/v1/tickets/{t['id']}/bump"))
        track.read_until(has_status(mine["id"], "ready"), timeout=15)
        track.read_for(0.8)  # and nothing else arrives for it

    assert {m.event for m in track.events} == {"order.status", "queue.position"}
    assert all(m.json["order_id"] == mine["id"] for m in track.events)
    assert [m.json["status"] for m in track.of_type("order.status")] == [
        "placed",
        "accepted",
        "preparing",
        "ready",
    ]
    assert len(track.of_type("queue.position")) >= 2
    assert_increasing([m.eid for m in track.events if m.id is not None])
    # Reconnecting replays this order's events only (no tickets, no other order).
    first_id = next(m.eid for m in track.events if m.id is not None)
    with open_stream(
        client, f"/v1/orders/{mine['id']}/stream", r.guests[0].token, last_event_id=first_id
    ) as back:
        back.read_until(has_status(mine["id"], "ready"))
        assert [m.json["status"] for m in back.of_type("order.status")] == ["preparing", "ready"]
        assert {m.json["order_id"] for m in back.events} == {mine["id"]}
        assert {m.event for m in back.events} <= {"order.status", "queue.position"}
    # Staff of the branch may follow it too.
    with open_stream(client, f"/v1/orders/{mine['id']}/stream", r.owner) as staff:
        staff.read_until(lambda ev: len(ev) >= 1)
        assert staff.events[0].json == {"order_id": mine["id"], "status": "ready"}


# --- ordering under concurrent writers ----------------------------------------------------


def emit(conn: psycopg.Connection, r: Restaurant, branch_id: str, writer: int) -> int:
    return one(
        conn,
        "select app_private.emit_event(%s, %s, 'kitchen', 'ticket.updated', %s::jsonb)",
        [r.id, branch_id, json.dumps({"writer": writer})],
    )


def test_a_held_writer_delays_its_branch_only_and_nothing_is_skipped(
    client, db, builder, admin_url, settings
):
    a = builder.restaurant("writers", auto_accept=True, tables=0)
    other_branch = builder.branch(a)
    owner_role = settings.owner_role

    def writer() -> psycopg.Connection:
        conn = psycopg.connect(admin_url)  # not autocommit: each writer holds a transaction
        conn.execute(f'set role "{owner_role}"')
        conn.commit()
        return conn

    w1, w2, w3 = writer(), writer(), writer()
    other_path = f"/v1/branches/{other_branch}/kds/stream"
    try:
        with (
            open_stream(client, kds_path(a), a.owner) as kds,
            open_stream(client, other_path, a.owner) as elsewhere,
        ):
            first = emit(w1, a, a.branch_id, 1)  # and w1 stays open
            held_since = time.monotonic()
            second: dict[str, Any] = {}

            def second_writer() -> None:
                second["id"] = emit(w2, a, a.branch_id, 2)
                second["returned"] = time.monotonic()
                w2.commit()

            thread = threading.Thread(target=second_writer)
            thread.start()
            # The second writer of the branch waits for the first (the head row's lock).
            deadline = time.monotonic() + 5
            waiting = (
                "select exists (select from pg_stat_activity where %s = any(pg_blocking_pids(pid)))"
            )
            while not one(db, waiting, [w1.info.backend_pid]):
                assert time.monotonic() < deadline, "the second writer did not queue behind"
                time.sleep(0.02)
            # A writer of another branch does not wait, and its screen hears it at once.
            t = time.monotonic()
            third = emit(w3, a, other_branch, 3)
            w3.commit()
            assert time.monotonic() - t < 0.5
            elsewhere.read_until(lambda ev: len(ev) >= 1, timeout=3)
            assert elsewhere.events[0].eid == third
            assert elsewhere.events[0].json == {"writer": 3}
            # Nothing of the held branch is visible yet, and nothing was delivered.
            visible = one(
                db, "select count(*) from queue.events where branch_id = %s", [a.branch_id]
            )
            assert visible == 0
            kds.read_for(0.4)
            assert kds.events == []
            assert thread.is_alive()
            time.sleep(max(0.0, 1.0 - (time.monotonic() - held_since)))
            released = time.monotonic()
            w1.commit()
            thread.join(5)
            assert second["returned"] >= released  # it got its id only once the first was in
            assert (first, second["id"]) == (1, 2)  # a fresh branch: ids from 1, in order
            kds.read_until(lambda ev: len(ev) >= 2)
            kds.read_for(0.6)
            assert [(m.eid, m.json) for m in kds.events] == [(1, {"writer": 1}), (2, {"writer": 2})]
            assert len(elsewhere.events) == 1
    finally:
        for conn in (w1, w2, w3):
            conn.close()


def test_in_sql_a_later_id_never_becomes_visible_before_an_earlier_one(db, builder, admin_url):
    """Writers of one branch take ids, hold them for a random while, commit or roll back;
    an observer reading the log the whole time always sees ids 1..n, never a hole."""
    a = builder.restaurant("visible", tables=0)
    branch = builder.branch(a)
    stop = threading.Event()
    samples: list[list[int]] = []
    committed: list[int] = []
    errors: list[BaseException] = []

    def observe() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            while not stop.is_set():
                ids = one(
                    conn,
                    "select coalesce(array_agg(id order by id), '{}') from queue.events "
                    "where branch_id = %s",
                    [branch],
                )
                samples.append(ids)

    def write(seed: int) -> None:
        rng = random.Random(seed)
        try:
            with psycopg.connect(admin_url) as conn:
                for _ in range(8):
                    eid = emit(conn, a, branch, seed)
                    time.sleep(rng.uniform(0, 0.015))
                    if rng.random() < 0.25:
                        conn.rollback()  # the id is given back, not lost
                    else:
                        conn.commit()
                        committed.append(eid)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    observer = threading.Thread(target=observe)
    observer.start()
    writers = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(30)
    stop.set()
    observer.join(10)
    assert errors == []
    assert len(samples) > 20
    final = one(
        db, "select array_agg(id order by id) from queue.events where branch_id = %s", [branch]
    )
    assert sorted(committed) == final
    for ids in samples:
        # Whatever was visible holds every committed id below its highest: a prefix.
        assert ids == final[: len(ids)], ids
    # And rolled-back ids were given back: no hole at all.
    assert final == list(range(1, len(final) + 1))


def test_a_revoked_device_loses_its_open_stream(client, builder):
    """A token dies with its device: an open stream notices at its next heartbeat (0.5 s
    here), ends, and the screen's reconnect is refused."""
    r = builder.restaurant("revoked")
    with open_stream(client, kds_path(r), r.kitchen) as kds:
        assert kds.status_code == 200
        kds.next()  # the position marker: the stream is live
        metrics = client.get("/metrics").text
        assert "brigade_sse_streams 1.0" in metrics
        assert "brigade_listener_connected 1.0" in metrics
        revoked = client.delete(
            f"/v1/devices/{r.device_id}", headers={"Authorization": f"Bearer {r.owner}"}
        )
        assert revoked.status_code == 204, revoked.text
        started = time.monotonic()
        kds.read_to_end(timeout=5)
        assert time.monotonic() - started < 3
    assert "brigade_sse_streams 0.0" in client.get("/metrics").text
    with open_stream(client, kds_path(r), r.kitchen) as again:
        assert again.status_code == 401
        assert again.response.json()["code"] == "token_revoked"
