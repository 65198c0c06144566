"""The kitchen screen (GET /kds) in a real browser against a real server.

Debian's Chromium, headless and driven by Playwright, loads the page from a `brigade serve`
whose access tokens live a few seconds, through a TCP relay that the test can cut like a
dropped kitchen Wi-Fi. A screen is activated with a real device code, a cook signs in with
a real PIN, and orders placed by a guest over HTTP must show up live (timers on the
server's clock although the tablet's is an hour fast), have a held course fired, a line
cancelled, be started, bumped, recalled and bumped again. While the stream is down the
screen stays usable on its own POSTs' answers, and an order placed while it was cut off
appears once it is back, exactly once, replayed from its Last-Event-ID rather than reloaded.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest
from conftest import running_server
from playwright.sync_api import Browser, Locator, Page, Request, expect, sync_playwright
from world import ok

CHROMIUM = "/usr/bin/chromium"  # Debian's package (scripts/lib.sh), not a Playwright download
TOKEN_TTL = 6  # seconds: the screen must refresh its access token during the test
PIN = "2468"
ITEM = "Smash burger"
OPTION = "Extra pickles"


class Relay:
    """A TCP relay in front of the server. `cut()` drops every open connection and then
    accepts and closes new ones until `restore()`: what a browser sees when the network goes."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.down = False
        self.cuts = 0
        self.lock = threading.Lock()
        self.open: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            if self.down:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.open.update((client, upstream))
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                self._drop(s)

    def _drop(self, s: socket.socket) -> None:
        with self.lock:
            self.open.discard(s)
        with contextlib.suppress(OSError):
            s.shutdown(socket.SHUT_RDWR)
        s.close()

    def cut(self) -> None:
        self.down = True
        self.cuts += 1
        with self.lock:
            doomed = list(self.open)
        for s in doomed:
            self._drop(s)

    def restore(self) -> None:
        self.down = False

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.fixture(scope="module")
def server(admin_url: str) -> Iterator[str]:
    with running_server(admin_url, BRIGADE_ACCESS_TOKEN_TTL=str(TOKEN_TTL)) as base:
        yield base


@pytest.fixture
def relay(server: str) -> Iterator[Relay]:
    r = Relay(urlsplit(server).port or 80)
    yield r
    r.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def api(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=10) as c:
        yield c


@dataclass
class Kitchen:
    """One restaurant's branch, arranged over HTTP as its owner would."""

    owner: dict[str, str]
    restaurant_id: str
    branch_id: str
    station_id: str
    device_code: str
    qr_token: str
    item_id: str
    option_id: str
    seated: bool = False  # whether a guest opened the table's session yet


def arrange(api: httpx.Client, member: dict[str, str]) -> Kitchen:
    owner = {"Authorization": f"Bearer {member['token']}"}
    rid = member["restaurant_id"]
    branch = ok(
        api.post(f"/v1/restaurants/{rid}/branches", headers=owner, json={"name": "Pass"}), 201
    )
    bid = branch["id"]
    ok(api.patch(f"/v1/branches/{bid}", headers=owner, json={"auto_accept": True}))
    stations = ok(api.get(f"/v1/branches/{bid}/stations", headers=owner))["items"]
    (station,) = [s for s in stations if s["is_default"]]
    assert station["target_seconds"] == 600, station  # the timer colours below assume 10 min
    ok(
        api.post(
            f"/v1/restaurants/{rid}/staff",
            headers=owner,
            json={"name": "Cook Carla", "role": "kitchen", "pin": PIN},
        ),
        201,
    )
    code = ok(api.post(f"/v1/branches/{bid}/device-codes", headers=owner, json={}), 201)
    category = ok(
        api.post(f"/v1/restaurants/{rid}/categories", headers=owner, json={"name": "Mains"}), 201
    )
    group = ok(
        api.post(
            f"/v1/restaurants/{rid}/modifier-groups",
            headers=owner,
            json={
                "name": "Extras",
                "min_select": 0,
                "max_select": 1,
                "options": [{"name": OPTION, "price_delta": 50}],
            },
        ),
        201,
    )
    item = ok(
        api.post(
            f"/v1/restaurants/{rid}/items",
            headers=owner,
            json={
                "category_id": category["id"],
                "name": ITEM,
                "price": 1250,
                "modifier_group_ids": [group["id"]],
            },
        ),
        201,
    )
    table = ok(
        api.post(f"/v1/branches/{bid}/tables", headers=owner, json={"label": "T7", "seats": 4}),
        201,
    )
    return Kitchen(
        owner=owner,
        restaurant_id=rid,
        branch_id=bid,
        station_id=station["id"],
        device_code=code["activation_code"],
        qr_token=table["qr_token"],
        item_id=item["id"],
        option_id=group["options"][0]["id"],
    )


def place_order(api: httpx.Client, k: Kitchen, *lines: dict[str, Any]) -> dict[str, Any]:
    """A guest at table T7 orders (by default two burgers). The session is joined again for
    every order: the guest's token lives only TOKEN_TTL seconds on this server."""
    session = api.post(f"/v1/tables/{k.qr_token}/session", json={})
    assert session.status_code == (200 if k.seated else 201), session.text  # joined : opened
    k.seated = True
    guest = session.json()
    return ok(
        api.post(
            f"/v1/sessions/{guest['session_id']}/orders",
            headers={
                "Authorization": f"Bearer {guest['access_token']}",
                "Idempotency-Key": str(uuid.uuid4()),
            },
            json={"items": list(lines) or [{"item_id": k.item_id, "quantity": 2}]},
        ),
        201,
    )


def card(page: Page, order: dict[str, Any]) -> Locator:
    """The board's ticket(s) for one order, found by its order number."""
    return page.locator(".ticket").filter(
        has=page.locator(".order-number", has_text=re.compile(rf"^#{order['number']}$"))
    )


def backdate(admin: psycopg.Connection, order: dict[str, Any], minutes: int) -> None:
    """Makes an order's tickets `minutes` old, as if the kitchen had been busy."""
    moved = admin.execute(
        "update app.tickets set created_at = created_at - make_interval(mins => %s)"
        " where order_id = %s",
        [minutes, order["id"]],
    ).rowcount
    assert moved == 1, f"order {order['id']} has {moved} tickets, expected 1 (auto_accept)"


def test_kitchen_screen_end_to_end(
    browser: Browser,
    relay: Relay,
    api: httpx.Client,
    member: dict[str, str],
    admin: psycopg.Connection,
) -> None:
    k = arrange(api, member)

    # Two tickets already wait when the screen starts: 11 minutes (past the 10 min target)
    # and 8 minutes (past 75 % of it).
    late = place_order(api, k)
    backdate(admin, late, 11)
    warm = place_order(api, k)
    backdate(admin, warm, 8)

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    # The tablet's clock is an hour fast: timers must follow the server's clock regardless.
    context.clock.install(time=datetime.now(UTC) + timedelta(hours=1))
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    requests: list[Request] = []
    sent_at: dict[int, float] = {}  # id(request) -> when the browser sent it

    def on_request(request: Request) -> None:
        sent_at[id(request)] = time.monotonic()
        requests.append(request)

    page.on("request", on_request)

    # The page itself: HTML under a strict CSP, and its two files from the same origin.
    response = page.goto(f"{relay.url}/kds")
    assert response is not None
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    for path, media in (("/kds/kds.js", "text/javascript"), ("/kds/kds.css", "text/css")):
        asset = api.get(path)
        assert asset.status_code == 200, path
        assert asset.headers["content-type"].startswith(media), asset.headers
        assert "default-src 'self'" in asset.headers["content-security-policy"]

    # 1. Device activation with the code a manager made.
    page.get_by_label("Device code").fill(k.device_code)
    page.get_by_label("Screen name").fill("Pass screen")
    page.get_by_role("button", name="Activate").click()
    pin = page.get_by_label("PIN", exact=True)
    expect(pin).to_be_visible()
    device = page.evaluate("JSON.parse(localStorage.getItem('brigade.kds.device'))")
    assert device["branch_id"] == k.branch_id
    assert device["device_token"]
    devices = ok(api.get(f"/v1/branches/{k.branch_id}/devices", headers=k.owner))["items"]
    assert [d["name"] for d in devices] == ["Pass screen"]

    # 2. PIN login: a wrong PIN is refused with the server's own words, the right one works.
    pin.fill("1357")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".toast", has_text="Wrong PIN.")).to_be_visible()
    expect(pin).to_be_visible()
    for digit in PIN:
        page.locator(f'.keypad button[data-key="{digit}"]').click()
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#staff-name")).to_have_text("Cook Carla")
    signed_in = time.monotonic()  # after the token arrived: its exp is before signed_in + TTL
    connection = page.locator("#connection")
    expect(connection).to_have_attribute("data-state", "live")

    # 3. The board: oldest first, timers from the server's clock (not the tablet's, an hour
    # off), coloured against the station's target.
    tickets = page.locator(".ticket")
    expect(tickets).to_have_count(2)
    expect(tickets.locator(".order-number")).to_have_text(
        [f"#{late['number']}", f"#{warm['number']}"]
    )
    expect(card(page, late).locator(".timer")).to_have_text(re.compile(r"^11:0\d$"))
    expect(card(page, late).locator(".timer")).to_have_class(re.compile(r"\bred\b"))
    expect(card(page, warm).locator(".timer")).to_have_text(re.compile(r"^08:0\d$"))
    expect(card(page, warm).locator(".timer")).to_have_class(re.compile(r"\bamber\b"))
    expect(card(page, warm).locator(".timer")).not_to_have_class(re.compile(r"\bred\b"))
    expect(card(page, late)).to_have_attribute("data-status", "queued")

    # The station picker: the choice goes into the URL and the stream follows it.
    page.locator("#station").select_option(k.station_id)
    expect(page).to_have_url(re.compile(rf"/kds\?station={k.station_id}$"))
    expect(connection).to_have_attribute("data-state", "live")
    expect(tickets).to_have_count(2)
    streams = [r for r in requests if "/kds/stream" in r.url]
    assert f"station={k.station_id}" in streams[-1].url
    assert streams[-1].headers["authorization"].startswith("Bearer ")

    # 4. A new order shows up live, with its items, option, note and table, and one beep
    # (the cook has tapped the screen, so audio is allowed). Its second course is held.
    fresh = place_order(
        api,
        k,
        {"item_id": k.item_id, "quantity": 2, "option_ids": [k.option_id], "note": "no onions"},
        {"item_id": k.item_id, "quantity": 1, "course": 2},
    )
    ticket = card(page, fresh)
    expect(ticket).to_have_count(1)
    expect(ticket.locator(".item .name")).to_have_text([ITEM, ITEM])
    expect(ticket.locator(".item .qty")).to_have_text(["2×", "1×"])
    expect(ticket.locator(".item").first.locator(".options li")).to_have_text(OPTION)
    expect(ticket.locator(".note")).to_have_text("no onions")
    expect(ticket.locator(".table-label")).to_have_text("T7")
    held = ticket.locator(".item.held")
    expect(held).to_have_count(1)
    expect(held.locator(".course")).to_have_text("Held · course 2")
    expect(held.locator(".qty")).to_have_text("1×")

    # Firing course 2 releases it, in the API too.
    ticket.get_by_role("button", name="Fire course 2").click()
    expect(held).to_have_count(0)
    expect(ticket.get_by_role("button", name="Fire course 2")).to_have_count(0)
    expect(ticket.locator(".item")).to_have_count(2)
    listed = ok(api.get(f"/v1/branches/{k.branch_id}/tickets", headers=k.owner))["items"]
    (mine,) = [t for t in listed if t["order_id"] == fresh["id"]]
    assert [i["status"] for i in mine["items"]] == ["queued", "queued"]

    # The front of house cancels that second line: the screen strikes it through.
    line = mine["items"][1]["id"]
    ok(api.post(f"/v1/orders/{fresh['id']}/items/{line}/cancel", headers=k.owner, json={}))
    struck = ticket.locator(f'.item[data-item-id="{line}"]')
    expect(struck).to_have_class(re.compile(r"\bcancelled\b"))
    expect(struck.locator(".item-line")).to_have_css("text-decoration-line", "line-through")
    expect(ticket.locator(".item").first).not_to_have_class(re.compile(r"\bcancelled\b"))
    expect(tickets.locator(".order-number")).to_have_text(
        [f"#{late['number']}", f"#{warm['number']}", f"#{fresh['number']}"]
    )
    expect(page.locator("#sound")).to_have_attribute("data-beeps", "1")

    # 5. Start, bump (the order is ready in the API), recall, bump again.
    ticket.get_by_role("button", name="Start").click()
    expect(ticket).to_have_attribute("data-status", "in_progress")
    ticket.get_by_role("button", name="Bump").click()
    expect(ticket).to_have_count(0)
    assert ok(api.get(f"/v1/orders/{fresh['id']}", headers=k.owner))["status"] == "ready"
    page.get_by_role("button", name="Recall last").click()
    expect(ticket).to_have_attribute("data-status", "in_progress")
    listed = ok(api.get(f"/v1/branches/{k.branch_id}/tickets", headers=k.owner))["items"]
    assert [t["status"] for t in listed if t["order_id"] == fresh["id"]] == ["in_progress"]
    ticket.get_by_role("button", name="Bump").click()
    expect(ticket).to_have_count(0)
    expect(tickets).to_have_count(2)
    assert ok(api.get(f"/v1/orders/{fresh['id']}", headers=k.owner))["status"] == "ready"

    # A cancelled order's ticket stays 5 s struck through, then leaves the board.
    ok(api.post(f"/v1/orders/{late['id']}/cancel", headers=k.owner, json={}))
    expect(card(page, late)).to_have_attribute("data-status", "cancelled")
    expect(card(page, late)).to_have_class(re.compile(r"\bcancelled\b"))
    expect(card(page, late).get_by_role("button")).to_have_count(0)
    cancelled_at = time.monotonic()

    # 6. The access token expires: the screen has refreshed it before, and keeps working.
    while time.monotonic() < signed_in + TOKEN_TTL + 0.5:
        page.wait_for_timeout(200)
    refreshed = [r for r in requests if r.url.endswith("/v1/auth/refresh")]
    assert refreshed, "the screen never refreshed its access token"
    assert sent_at[id(refreshed[0])] < signed_in + TOKEN_TTL, "refreshed only after expiry"
    assert all(r.response().status == 200 for r in refreshed)  # type: ignore[union-attr]

    expect(card(page, late)).to_have_count(0, timeout=7_000)
    assert time.monotonic() - cancelled_at > 3.5  # it lingered (5 s from when it was shown)
    expect(tickets).to_have_count(1)

    # 7. The network drops. The banner says so; an order placed meanwhile cannot arrive.
    before_cut = len(requests)
    relay.cut()
    expect(connection).to_have_attribute("data-state", "reconnecting")
    expect(connection).to_be_visible()
    missed = place_order(api, k)
    page.wait_for_timeout(1200)  # a few refused reconnects, with backoff
    expect(card(page, missed)).to_have_count(0)
    expect(connection).to_have_attribute("data-state", "reconnecting")

    # The network is back but the stream is not yet (its requests fail): the screen still
    # works, applying what its own POSTs answer. Bumping the 8-minute ticket removes it.
    stream_url = re.compile(r"/kds/stream")
    page.route(stream_url, lambda route: route.abort())
    relay.restore()
    card(page, warm).get_by_role("button", name="Bump").click()
    expect(card(page, warm)).to_have_count(0)
    expect(connection).to_have_attribute("data-state", "reconnecting")
    expect(card(page, missed)).to_have_count(0)

    # Then the stream returns: the missed order is replayed after Last-Event-ID, exactly
    # once, and the bump's own echo does not bring the bumped ticket back.
    page.unroute(stream_url)
    expect(connection).to_have_attribute("data-state", "live", timeout=10_000)
    expect(connection).to_be_hidden()
    expect(card(page, missed)).to_have_count(1)
    page.wait_for_timeout(500)
    expect(tickets.locator(".order-number")).to_have_text([f"#{missed['number']}"])
    expect(page.locator("#sound")).to_have_attribute("data-beeps", "2")
    after = requests[before_cut:]
    reconnects = [r for r in after if "/kds/stream" in r.url]
    assert reconnects, "the screen never reconnected"
    assert all(re.fullmatch(r"\d+", r.headers.get("last-event-id", "")) for r in reconnects)
    reloads = [r for r in after if re.search(r"/tickets(\?|$)", r.url)]
    assert reloads == [], "the ticket list was reloaded although a Last-Event-ID was known"

    # 8. Sign out: back to the PIN, and the refresh token is revoked on the server.
    session = page.evaluate("JSON.parse(sessionStorage.getItem('brigade.kds.session'))")
    with page.expect_request_finished(lambda r: r.url.endswith("/v1/auth/logout")):
        page.get_by_role("button", name="Sign out").click()
    expect(pin).to_be_visible()
    expect(tickets).to_have_count(0)
    revoked = api.post("/v1/auth/refresh", json={"refresh_token": session["refresh_token"]})
    assert revoked.status_code == 401, revoked.text

    assert problems == []
    context.close()
