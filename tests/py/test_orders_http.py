"""Orders over real HTTP (API.md, Orders): placing, reading, listing, moving, cancelling.

Restaurants are built through the API by tests/py/world.py (only the owner is arranged in
SQL). Every refusal is checked in the database too: a refused request wrote nothing, not
even an order number or an event.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest
from world import (
    TAX_BP,
    Restaurant,
    WorldBuilder,
    assert_problem,
    call,
    ok,
    one,
    place,
    tenant_rows,
)

ORDER_KEYS = {
    "id",
    "number",
    "status",
    "branch_id",
    "session_id",
    "items",
    "subtotal",
    "discount",
    "tax",
    "total",
    "currency",
    "created_at",
}
ORDER_TABLES = (
    "app.orders",
    "app.order_items",
    "app.tickets",
    "app.order_status_changes",
    "app_private.order_numbers",
    "app_private.idempotency_keys",
    "queue.events",
    "queue.event_heads",
)
LINE_KEYS = {"id", "item_id", "name", "quantity", "unit_price", "options", "status"}


@pytest.fixture
def world(builder: WorldBuilder) -> tuple[Restaurant, Restaurant]:
    """Restaurant A (orders wait to be accepted, three tables) and restaurant B."""
    return builder.restaurant("a", tables=3), builder.restaurant("b", tables=1)


def written(db: psycopg.Connection, r: Restaurant) -> dict[str, Any]:
    """Everything an order placement or move writes for one restaurant (one query)."""
    return tenant_rows(db, r.id, ORDER_TABLES)


def status_of(db: psycopg.Connection, order_id: str) -> str:
    return one(db, "select status from app.orders where id = %s", [order_id])


# --- placing and reading ---------------------------------------------------------------


def test_a_guest_places_an_order_priced_in_sql(client, db, world):
    a, _ = world
    guest = a.guests[0]
    body = {
        "items": [
            {"item_id": a.items["burger"], "quantity": 2, "option_ids": [a.options["large"]]},
            {"item_id": a.items["lemonade"], "quantity": 1, "note": "no ice"},
            {"item_id": a.items["fries"], "quantity": 3},
        ]
    }
    before = datetime.now(UTC)
    r = call(client, guest.token, "POST", f"/v1/sessions/{guest.session_id}/orders", body)
    order = ok(r, 201)
    assert r.headers["content-type"].startswith("application/json")
    assert order.keys() >= ORDER_KEYS
    assert order["status"] == "placed"
    assert order["number"] == 1  # the branch's first order today
    assert (order["branch_id"], order["session_id"]) == (a.branch_id, guest.session_id)
    assert order["currency"] == "EUR"
    created = datetime.fromisoformat(order["created_at"])
    assert created.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=5) < created < datetime.now(UTC) + timedelta(seconds=5)
    # Priced from the catalog: 2 x (1500 + 300) + 500 + 3 x 400, plus 10 % tax on top.
    lines = order["items"]  # in the order they were sent
    assert all(line.keys() >= LINE_KEYS for line in lines)
    assert [(x["item_id"], x["name"], x["quantity"], x["unit_price"]) for x in lines] == [
        (a.items["burger"], "Burger", 2, 1800),
        (a.items["lemonade"], "Lemonade", 1, 500),
        (a.items["fries"], "Fries", 3, 400),
    ]
    assert [o["id"] for o in lines[0]["options"]] == [a.options["large"]]
    assert [x["note"] for x in lines] == [None, "no ice", None]
    assert {x["status"] for x in lines} == {"pending"}  # not accepted: nothing in the kitchen
    assert order["subtotal"] == 5300
    assert order["discount"] == 0
    assert order["tax"] == 5300 * TAX_BP // 10000
    assert order["total"] == 5300 + 530
    row = db.execute(
        "select status, number, subtotal, tax, total, placed_by_role from app.orders where id = %s",
        [order["id"]],
    ).fetchone()
    assert row == ("placed", 1, 5300, 530, 5830, "customer")
    assert one(db, "select count(*) from app.tickets where order_id = %s", [order["id"]]) == 0

    # Its guest and the branch's staff read it; GET answers what POST answered.
    mine = ok(call(client, guest.token, "GET", f"/v1/orders/{order['id']}"))
    assert mine == order
    assert ok(call(client, a.owner, "GET", f"/v1/orders/{order['id']}"))["id"] == order["id"]
    assert ok(call(client, a.kitchen, "GET", f"/v1/orders/{order['id']}"))["id"] == order["id"]


def test_an_order_is_hidden_from_other_sessions_and_other_tenants(client, world):
    a, b = world
    order = ok(place(client, a, a.guests[0], ("steak", 1)), 201)
    path = f"/v1/orders/{order['id']}"
    assert ok(call(client, a.guests[0].token, "GET", path))["id"] == order["id"]  # control
    for token in (a.guests[1].token, b.guests[0].token, b.owner, b.kitchen):
        assert_problem(call(client, token, "GET", path), 404, "not_found")
    assert_problem(call(client, None, "GET", path), 401, "unauthorized")
    # Nor can anyone order into a session that is not theirs.
    for token in (a.guests[1].token, b.guests[0].token, b.owner):
        r = call(
            client,
            token,
            "POST",
            f"/v1/sessions/{a.guests[0].session_id}/orders",
            a.order_body(("steak", 1)),
        )
        assert_problem(r, 404, "not_found")


def test_staff_list_a_branchs_orders_by_status(client, db, world):
    a, b = world
    ids = [ok(place(client, a, g, ("fries", 1)), 201)["id"] for g in a.guests]
    ok(call(client, a.owner, "POST", f"/v1/orders/{ids[1]}/transition", {"to": "accepted"}))
    ok(call(client, a.owner, "POST", f"/v1/orders/{ids[2]}/cancel"))
    path = f"/v1/branches/{a.branch_id}/orders"

    def listed(query: str, token: str = a.owner) -> list[tuple[str, str]]:
        page = ok(call(client, token, "GET", path + query))
        assert page["next_cursor"] is None
        return [(o["id"], o["status"]) for o in page["items"]]

    assert listed("") == [(ids[0], "placed"), (ids[1], "accepted"), (ids[2], "cancelled")]
    assert listed("?status=placed") == [(ids[0], "placed")]
    assert listed("?status=accepted", a.kitchen) == [(ids[1], "accepted")]
    assert listed("?status=cancelled") == [(ids[2], "cancelled")]
    assert listed("?status=completed") == []
    # Keyset pages, oldest first.
    first = ok(call(client, a.owner, "GET", path + "?limit=2"))
    assert [o["id"] for o in first["items"]] == ids[:2]
    rest = ok(call(client, a.owner, "GET", path + f"?limit=2&cursor={first['next_cursor']}"))
    assert ([o["id"] for o in rest["items"]], rest["next_cursor"]) == (ids[2:], None)

    assert_problem(call(client, a.owner, "GET", path + "?status=lost"), 422, "validation_failed")
    assert_problem(call(client, b.owner, "GET", path), 404, "not_found")
    assert_problem(call(client, a.guests[0].token, "GET", path), 403, "forbidden")
    assert_problem(call(client, None, "GET", path), 401, "unauthorized")
    assert status_of(db, ids[0]) == "placed"


# --- moving orders along ----------------------------------------------------------------


def test_an_order_goes_through_its_life_and_refuses_invalid_moves(client, db, world):
    a, _ = world
    order = ok(place(client, a, a.guests[0], ("burger", 1), ("lemonade", 2)), 201)
    oid = order["id"]
    move = f"/v1/orders/{oid}/transition"

    def refused(to: str, status: int = 409, code: str = "invalid_transition") -> None:
        before = written(db, a)
        assert_problem(call(client, a.owner, "POST", move, {"to": to}), status, code)
        assert written(db, a) == before

    refused("ready")  # placed -> ready skips the kitchen
    refused("served")
    refused("nowhere", 422, "validation_failed")
    accepted = ok(call(client, a.owner, "POST", move, {"to": "accepted"}))
    assert accepted["status"] == "accepted"
    assert {x["status"] for x in accepted["items"]} == {"queued"}
    tickets = ok(call(client, a.kitchen, "GET", f"/v1/branches/{a.branch_id}/tickets"))["items"]
    mine = [t for t in tickets if t["order_id"] == oid]
    # Burger to the grill, lemonade to the bar.
    assert sorted(t["station_id"] for t in mine) == sorted([a.stations["grill"], a.stations["bar"]])
    refused("accepted")  # twice
    refused("completed")
    for ticket in mine:
        ok(call(client, a.kitchen, "POST", f"/v1/tickets/{ticket['id']}/bump"))
    assert status_of(db, oid) == "ready"  # every ticket ready: the order is ready
    refused("cancelled")  # too late to cancel: that is a void
    assert ok(call(client, a.owner, "POST", move, {"to": "served"}))["status"] == "served"
    assert ok(call(client, a.owner, "POST", move, {"to": "completed"}))["status"] == "completed"
    refused("voided")  # not after completed, even with a reason
    before = written(db, a)
    r = call(client, a.owner, "POST", move, {"to": "voided", "reason": "comp"})
    assert_problem(r, 409, "invalid_transition")
    assert written(db, a) == before
    history = db.execute(
        "select from_status, to_status from app.order_status_changes where order_id = %s "
        "order by at, id",
        [oid],
    ).fetchall()
    assert history == [
        (None, "placed"),
        ("placed", "accepted"),
        ("accepted", "preparing"),  # the first bump: the kitchen is on it
        ("preparing", "ready"),
        ("ready", "served"),
        ("served", "completed"),
    ]


def test_cancel_and_void(client, db, world):
    a, _ = world
    guest = a.guests[0]
    first, second, third = (ok(place(client, a, guest, ("steak", 1)), 201)["id"] for _ in "123")

    # Its guest cancels while placed; twice is an invalid transition.
    cancelled = ok(call(client, guest.token, "POST", f"/v1/orders/{first}/cancel"))
    assert cancelled["status"] == "cancelled"
    assert {x["status"] for x in cancelled["items"]} == {"cancelled"}
    before = written(db, a)
    assert_problem(
        call(client, guest.token, "POST", f"/v1/orders/{first}/cancel"), 409, "invalid_transition"
    )
    assert written(db, a) == before
    # Another session's guest cannot even see it.
    assert_problem(
        call(client, a.guests[1].token, "POST", f"/v1/orders/{second}/cancel"), 404, "not_found"
    )
    # Accepted: the guest may no longer cancel, staff may (the kitchen's tickets are struck).
    ok(call(client, a.owner, "POST", f"/v1/orders/{second}/transition", {"to": "accepted"}))
    before = written(db, a)
    assert_problem(
        call(client, guest.token, "POST", f"/v1/orders/{second}/cancel"), 403, "forbidden"
    )
    assert written(db, a) == before
    assert ok(call(client, a.owner, "POST", f"/v1/orders/{second}/cancel"))["status"] == (
        "cancelled"
    )
    assert one(
        db, "select array_agg(distinct status) from app.tickets where order_id = %s", [second]
    ) == ["cancelled"]

    # A void needs a reason.
    move = f"/v1/orders/{third}/transition"
    ok(call(client, a.owner, "POST", move, {"to": "accepted"}))
    before = written(db, a)
    for body in ({"to": "voided"}, {"to": "voided", "reason": "  "}):
        assert_problem(call(client, a.owner, "POST", move, body), 422, "validation_failed")
    assert_problem(
        call(client, a.owner, "POST", move, {"to": "voided", "reason": 5}), 422, "validation_failed"
    )
    assert written(db, a) == before
    voided = ok(call(client, a.owner, "POST", move, {"to": "voided", "reason": "Guest left"}))
    assert (voided["status"], voided["void_reason"]) == ("voided", "Guest left")
    assert status_of(db, third) == "voided"


# --- idempotency -------------------------------------------------------------------------


def test_an_idempotency_key_replays_the_first_order(client, db, world):
    a, _ = world
    guest, other = a.guests[0], a.guests[1]
    first = ok(place(client, a, guest, ("burger", 1), key="tab-42"), 201)
    before = written(db, a)
    again = place(client, a, guest, ("burger", 1), key="tab-42")
    assert again.status_code == 201, again.text
    assert (again.json()["id"], again.json()["number"]) == (first["id"], first["number"])
    assert written(db, a) == before  # nothing new: no order, no number, no event

    # The same key with another body is a conflict, and writes nothing.
    r = place(client, a, guest, ("burger", 2), key="tab-42")
    assert_problem(r, 409, "idempotency_key_reused")
    assert written(db, a) == before

    # Keys belong to their sender: another session's same key is a new order.
    theirs = ok(place(client, a, other, ("burger", 1), key="tab-42"), 201)
    assert theirs["id"] != first["id"]
    assert theirs["number"] == first["number"] + 1
    # And without a key, the same body is simply another order.
    assert ok(place(client, a, guest, ("burger", 1)), 201)["id"] != first["id"]
    assert one(db, "select count(*) from app.orders where restaurant_id = %s", [a.id]) == 3


# --- bad input ---------------------------------------------------------------------------


def test_bad_bodies_are_problems_and_write_nothing(client, db, world):
    a, b = world
    guest = a.guests[0]
    path = f"/v1/sessions/{guest.session_id}/orders"
    burger, fries = a.items["burger"], a.items["fries"]
    regular = [a.options["regular"]]
    line = {"item_id": fries, "quantity": 1}
    cases: list[tuple[Any, int, str]] = [
        ({"items": [{**line, "price": 1}]}, 422, "validation_failed"),  # a client price
        ({"items": [{**line, "unit_price": 1}]}, 422, "validation_failed"),
        ({"items": [line], "total": 1}, 422, "validation_failed"),
        ({"items": [line], "table": "T9"}, 422, "validation_failed"),
        ({"items": [{**line, "quantity": 0}]}, 422, "validation_failed"),
        ({"items": [{**line, "quantity": -1}]}, 422, "validation_failed"),
        ({"items": [{**line, "quantity": 100}]}, 422, "validation_failed"),
        ({"items": [{**line, "quantity": "two"}]}, 422, "validation_failed"),
        ({"items": [{**line, "quantity": [1]}]}, 422, "validation_failed"),
        ({"items": [{**line, "quantity": 1.5}]}, 422, "validation_failed"),
        ({"items": [{"item_id": "fries", "quantity": 1}]}, 422, "validation_failed"),
        ({"items": [{"quantity": 1}]}, 422, "validation_failed"),
        ({"items": []}, 422, "validation_failed"),
        ({"items": {"0": line}}, 422, "validation_failed"),
        ({}, 422, "validation_failed"),
        ([line], 422, "validation_failed"),
        ({"items": [{**line, "note": "x" * 201}]}, 422, "validation_failed"),
        ({"items": [{"item_id": burger, "quantity": 1}]}, 422, "validation_failed"),  # no size
        (
            {"items": [{"item_id": burger, "quantity": 1, "option_ids": [*regular, *regular]}]},
            201,  # an option is chosen or not: the duplicate is the same choice (control)
            "",
        ),
        (
            {"items": [{"item_id": burger, "quantity": 1, "option_ids": list(b.options.values())}]},
            422,
            "validation_failed",
        ),
        ({"items": [{**line, "option_ids": regular}]}, 422, "validation_failed"),  # not fries'
        ({"items": [{"item_id": b.items["fries"], "quantity": 1}]}, 422, "validation_failed"),
        ({"items": [line], "promo_code": "FREE"}, 422, "promo_invalid"),
    ]
    for body, status, code in cases:
        before = written(db, a)
        r = call(client, guest.token, "POST", path, body)
        if status == 201:
            ok(r, 201)
            continue
        assert_problem(r, status, code)
        assert written(db, a) == before, body

    before = written(db, a)
    for content in (b'{"items": [', b"", b"\xff"):
        r = client.post(
            path,
            content=content,
            headers={"Authorization": f"Bearer {guest.token}", "content-type": "application/json"},
        )
        assert 400 <= r.status_code < 500, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    assert_problem(place(client, a, guest, ("fries", 1), key="k" * 201), 422, "validation_failed")
    assert written(db, a) == before
    # No number was used up by the refusals: the next order follows the control's.
    assert ok(place(client, a, guest, ("fries", 1)), 201)["number"] == 2


def test_an_86ed_item_cannot_be_ordered(client, db, world):
    a, _ = world
    guest = a.guests[0]
    availability = f"/v1/branches/{a.branch_id}/items/{a.items['steak']}/availability"
    ok(call(client, a.kitchen, "PUT", availability, {"available": False}))
    before = written(db, a)
    assert_problem(place(client, a, guest, ("steak", 1)), 409, "item_unavailable")
    # One sold-out line refuses the whole order.
    assert_problem(place(client, a, guest, ("fries", 1), ("steak", 1)), 409, "item_unavailable")
    assert written(db, a) == before
    ok(call(client, a.kitchen, "PUT", availability, {"available": True}))
    assert ok(place(client, a, guest, ("steak", 1)), 201)["number"] == 1


# --- many guests at once ------------------------------------------------------------------


def test_fifty_guests_ordering_at_once_get_numbers_one_to_fifty(client, db, builder):
    r = builder.restaurant("rush", auto_accept=True, tables=0)
    guests = builder.seat(r, 25, guests_per_table=2)  # two guests share each session
    assert len(guests) == 50
    assert len({g.session_id for g in guests}) == 25
    start = threading.Barrier(len(guests))

    def order(n: int) -> httpx.Response:
        guest = guests[n]
        start.wait(10)
        return place(client, r, guest, ("burger", 1 + n % 3), ("lemonade", 1), ("fries", 1))

    with ThreadPoolExecutor(len(guests)) as pool:
        responses = list(pool.map(order, range(len(guests))))
    statuses = [x.status_code for x in responses]
    assert statuses == [201] * 50, [(x.status_code, x.text[:200]) for x in responses if x.is_error]
    orders = [x.json() for x in responses]
    assert sorted(o["number"] for o in orders) == list(range(1, 51))
    assert len({o["id"] for o in orders}) == 50
    assert {o["status"] for o in orders} == {"accepted"}  # auto_accept
    assert one(db, "select count(*) from app.orders where restaurant_id = %s", [r.id]) == 50
    assert (
        one(
            db,
            "select last_number from app_private.order_numbers where restaurant_id = %s",
            [r.id],
        )
        == 50
    )
    # Three tickets per order, and the branch's event ids have no gap and no duplicate.
    assert one(db, "select count(*) from app.tickets where restaurant_id = %s", [r.id]) == 150
    ids = one(
        db, "select array_agg(id order by id) from queue.events where branch_id = %s", [r.branch_id]
    )
    assert ids == list(range(1, 50 * 5 + 1))  # placed, 3 tickets, accepted per order
