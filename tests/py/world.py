"""A restaurant "world" built over real HTTP, and a small reader of Server-Sent Events.

Only the owner is arranged in SQL (a restaurant, a user and an owner membership, then a
token signed with the suite's key, by the same Arranger that test_tenancy_http.py and
test_catalog_http.py use for their superuser-built tenants); everything else goes
through the API as a real client would: a branch (auto_accept on or off, with its default
station), categories, a modifier group, items, two more stations routed by category, a
kitchen member with a PIN, a registered device and its PIN login, tables and the guests'
sessions opened from the QR code.

The SSE reader parses the wire format of the WHATWG spec (id/event/data fields, comment
lines, a blank line ends a message) from `httpx` streaming responses. It reads in the
calling thread; a server started with a short BRIGADE_SSE_HEARTBEAT_SECONDS sends a comment
every second or so, which lets the reader check its deadline between lines.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg
from conftest import ROOT, brigade_cli, free_port

PROBLEM = "application/problem+json"
TAX_BP = 1000  # 10 % on top of menu prices: totals are not just the sum of the lines


def one(conn: psycopg.Connection, query: str, params: Any = None) -> Any:
    row = conn.execute(query, params or []).fetchone()
    assert row is not None
    return row[0]


def call(
    client: httpx.Client,
    token: str | None,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    h = dict(headers or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    return client.request(method, path, json=body, headers=h)


def ok(r: httpx.Response, status: int = 200) -> Any:
    """The JSON body of a response with `status` (None for an empty body, as a 204 has)."""
    assert r.status_code == status, f"{r.request.method} {r.request.url}: {r.status_code} {r.text}"
    return r.json() if r.content else None


def assert_problem(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, f"{r.request.method} {r.request.url}: {r.status_code} {r.text}"
    assert r.headers["content-type"].startswith(PROBLEM), r.headers
    body = r.json()
    assert body["code"] == code, body
    assert body["status"] == status, body
    assert {"type", "title", "detail"} <= body.keys(), body
    return body


def tenant_rows(
    conn: psycopg.Connection, restaurant_id: Any, tables: Iterable[str], *extra: str
) -> dict[str, Any]:
    """Every row of one tenant in `tables`, plus `extra` jsonb_build_object pairs (which may
    use %(rid)s), in one query: compared before and after a refused request."""
    parts = [
        f"'{table}', (select coalesce(jsonb_agg(to_jsonb(x) order by to_jsonb(x)::text), '[]') "
        f"from {table} as x where restaurant_id = %(rid)s)"
        for table in tables
    ]
    parts += extra
    return one(conn, f"select jsonb_build_object({', '.join(parts)})", {"rid": restaurant_id})


def raise_ip_limits(conn: psycopg.Connection) -> None:
    """Every test request comes from 127.0.0.1; per-IP buckets (QR sessions, PINs, device
    activation) would throttle a world of fifty guests. For databases the suite's autouse
    fixture does not cover (a private cluster)."""
    conn.execute("update app_private.rate_limits set capacity = 100000 where name like '%\\_ip'")


# --- tenants arranged as the superuser ---------------------------------------------------


@dataclass
class Tenant:
    id: UUID
    branches: dict[str, UUID] = field(default_factory=dict)
    people: dict[str, tuple[UUID, UUID]] = field(default_factory=dict)  # (user, membership)
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)  # tables, sessions, devices, menu, ...


class Arranger:
    """Arranges tenants as the superuser (unique slugs and emails per run) and signs tokens
    for their people."""

    def __init__(self, admin: psycopg.Connection, mint: Callable[..., str]) -> None:
        self.admin = admin
        self.mint = mint
        self.run = secrets.token_hex(4)

    def restaurant(
        self, label: str, *, currency: str = "EUR", timezone: str = "UTC", **columns: Any
    ) -> Tenant:
        """A restaurant; `columns` are more app.restaurants columns (tax_rate_bp, locale)."""
        values = {
            "name": f"Restaurant {label}",
            "slug": f"{label}-{self.run}-{secrets.token_hex(3)}",
            "currency": currency,
            "timezone": timezone,
            **columns,
        }
        rid = one(
            self.admin,
            f"insert into app.restaurants ({', '.join(values)}) "
            f"values ({', '.join(['%s'] * len(values))}) returning id",
            list(values.values()),
        )
        return Tenant(rid)

    def branch(self, t: Tenant, key: str, *, deleted: bool = False) -> UUID:
        """A branch with its default station, as api.create_branch makes it."""
        bid = one(
            self.admin,
            "insert into app.branches (restaurant_id, name, deleted_at) "
            "values (%s, %s, case when %s then now() end) returning id",
            [t.id, f"Branch {key}", deleted],
        )
        self.admin.execute(
            "insert into app.stations (restaurant_id, branch_id, name, is_default) "
            "values (%s, %s, 'Kitchen', true)",
            [t.id, bid],
        )
        t.branches[key] = bid
        return bid

    def person(
        self, t: Tenant, key: str, role: str, branches: tuple[str, ...] = ()
    ) -> tuple[UUID, UUID]:
        """A member with `role` (bound to `branches` if any) and a token for them."""
        email = f"{key}-{self.run}-{secrets.token_hex(3)}@example.test"
        uid = one(
            self.admin,
            "insert into app.users (email, name) values (%s, %s) returning id",
            [email, key.title()],
        )
        mid = one(
            self.admin,
            "insert into app.memberships (restaurant_id, user_id, role) "
            "values (%s, %s, %s) returning id",
            [t.id, uid, role],
        )
        for b in branches:
            self.admin.execute(
                "insert into app.membership_branches (restaurant_id, membership_id, branch_id) "
                "values (%s, %s, %s)",
                [t.id, mid, t.branches[b]],
            )
        claims: dict[str, Any] = {
            "sub": str(uid),
            "role": "staff",
            "app_role": role,
            "restaurant_id": str(t.id),
        }
        if branches:
            claims["branch_ids"] = [str(t.branches[b]) for b in branches]
        t.people[key] = (uid, mid)
        t.tokens[key] = self.mint(**claims)
        return uid, mid

    def table(self, t: Tenant, branch: str, label: str, *, open_session: bool = False) -> UUID:
        tid = one(
            self.admin,
            "insert into app.dining_tables (restaurant_id, branch_id, label) "
            "values (%s, %s, %s) returning id",
            [t.id, t.branches[branch], label],
        )
        t.ids[f"table {label}"] = tid
        if open_session:
            t.ids[f"session {label}"] = one(
                self.admin,
                "insert into app.table_sessions (restaurant_id, branch_id, table_id) "
                "values (%s, %s, %s) returning id",
                [t.id, t.branches[branch], tid],
            )
        return tid

    def device(self, t: Tenant, branch: str, name: str) -> UUID:
        did = one(
            self.admin,
            "insert into app.devices (restaurant_id, branch_id, name) "
            "values (%s, %s, %s) returning id",
            [t.id, t.branches[branch], name],
        )
        t.ids[f"device {name}"] = did
        return did


# --- the world --------------------------------------------------------------------------


@dataclass
class Guest:
    session_id: str
    token: str
    table_id: str


@dataclass
class Restaurant:
    id: str
    owner: str  # the owner's token
    branch_id: str
    currency: str = "EUR"
    kitchen: str = ""  # a kitchen member's PIN-login token on a registered device
    device_id: str = ""
    stations: dict[str, str] = field(default_factory=dict)  # kitchen (default), grill, bar
    categories: dict[str, str] = field(default_factory=dict)  # mains, drinks, sides
    items: dict[str, str] = field(default_factory=dict)
    prices: dict[str, int] = field(default_factory=dict)  # items and options, by name
    options: dict[str, str] = field(default_factory=dict)  # regular, large
    tables: list[dict[str, Any]] = field(default_factory=list)
    guests: list[Guest] = field(default_factory=list)
    extra_branches: list[str] = field(default_factory=list)

    def order_body(self, *lines: tuple[str, int]) -> dict[str, Any]:
        """`("burger", 2)` lines; a burger needs its size: Regular is chosen."""
        items = []
        for name, quantity in lines:
            line: dict[str, Any] = {"item_id": self.items[name], "quantity": quantity}
            if name == "burger":
                line["option_ids"] = [self.options["regular"]]
            items.append(line)
        return {"items": items}


class WorldBuilder:
    """Builds restaurants through the API of one server (and the database it uses)."""

    def __init__(
        self, client: httpx.Client, admin: psycopg.Connection, mint: Callable[..., str]
    ) -> None:
        self.client = client
        self.arranger = Arranger(admin, mint)

    def _post(self, token: str | None, path: str, body: Any = None, status: int = 201) -> Any:
        return ok(call(self.client, token, "POST", path, body), status)

    def owner(self, label: str) -> tuple[str, str]:
        """A restaurant with a real owner (SQL), and a token for them."""
        with self.arranger.admin.transaction():
            t = self.arranger.restaurant(label, tax_rate_bp=TAX_BP)
            self.arranger.person(t, "owner", "owner")
        return str(t.id), t.tokens["owner"]

    def restaurant(
        self, label: str = "w", *, auto_accept: bool = False, tables: int = 2
    ) -> Restaurant:
        rid, owner = self.owner(label)
        branch = self._post(
            owner,
            f"/v1/restaurants/{rid}/branches",
            {"name": "Main street", "timezone": "UTC", "auto_accept": auto_accept},
        )
        assert branch["auto_accept"] is auto_accept
        r = Restaurant(id=rid, owner=owner, branch_id=branch["id"])
        bid = branch["id"]
        stations = ok(call(self.client, owner, "GET", f"/v1/branches/{bid}/stations"))["items"]
        r.stations["kitchen"] = next(s["id"] for s in stations if s["is_default"])

        for position, name in enumerate(("mains", "drinks", "sides"), 1):
            r.categories[name] = self._post(
                owner,
                f"/v1/restaurants/{rid}/categories",
                {"name": name.title(), "position": position},
            )["id"]
        size = self._post(
            owner,
            f"/v1/restaurants/{rid}/modifier-groups",
            {
                "name": "Size",
                "min_select": 1,
                "max_select": 1,
                "options": [
                    {"name": "Regular", "price_delta": 0},
                    {"name": "Large", "price_delta": 300},
                ],
            },
        )
        for option in size["options"]:
            r.options[option["name"].lower()] = option["id"]
            r.prices[option["name"].lower()] = option["price_delta"]
        menu = [
            ("burger", "mains", 1500, [size["id"]]),
            ("steak", "mains", 2900, []),
            ("lemonade", "drinks", 500, []),
            ("fries", "sides", 400, []),
        ]
        for name, category, price, groups in menu:
            body: dict[str, Any] = {
                "category_id": r.categories[category],
                "name": name.title(),
                "price": price,
            }
            if groups:
                body["modifier_group_ids"] = groups
            r.items[name] = self._post(owner, f"/v1/restaurants/{rid}/items", body)["id"]
            r.prices[name] = price
        # Mains go to the grill, drinks to the bar; sides are unrouted: the default station.
        for name, category in (("grill", "mains"), ("bar", "drinks")):
            r.stations[name] = self._post(
                owner,
                f"/v1/branches/{bid}/stations",
                {"name": name.title(), "category_ids": [r.categories[category]]},
            )["id"]

        # The kitchen: a member with a PIN, a device activated with a code, a PIN login.
        pin = f"{secrets.randbelow(10**6):06d}"
        self._post(
            owner,
            f"/v1/restaurants/{rid}/staff",
            {"name": "Cook", "role": "kitchen", "pin": pin, "branch_ids": [bid]},
        )
        code = self._post(owner, f"/v1/branches/{bid}/device-codes")["activation_code"]
        device = self._post(
            None, "/v1/devices/activate", {"activation_code": code, "name": "Pass screen"}
        )
        r.device_id = device["device_id"]
        signed_in = ok(
            call(
                self.client,
                None,
                "POST",
                "/v1/auth/pin",
                {"device_token": device["device_token"], "pin": pin},
            )
        )
        r.kitchen = signed_in["access_token"]
        self.seat(r, tables)
        return r

    def seat(self, r: Restaurant, tables: int, guests_per_table: int = 1) -> list[Guest]:
        """`tables` new tables, each with its session opened from the QR code by its first
        guest; more guests of a table join the same session."""
        seated = []
        for _ in range(tables):
            table = self._post(
                r.owner,
                f"/v1/branches/{r.branch_id}/tables",
                {"label": f"T{len(r.tables) + 1}", "seats": 4},
            )
            r.tables.append(table)
            for n in range(guests_per_table):
                session = self._post(
                    None, f"/v1/tables/{table['qr_token']}/session", {}, 200 if n else 201
                )
                guest = Guest(session["session_id"], session["access_token"], table["id"])
                r.guests.append(guest)
                seated.append(guest)
        return seated

    def branch(self, r: Restaurant, *, auto_accept: bool = False) -> str:
        """Another branch of the same restaurant (with its default station)."""
        bid = self._post(
            r.owner,
            f"/v1/restaurants/{r.id}/branches",
            {"name": f"Branch {len(r.extra_branches) + 2}", "auto_accept": auto_accept},
        )["id"]
        r.extra_branches.append(bid)
        return bid


def place(
    client: httpx.Client,
    r: Restaurant,
    guest: Guest,
    *lines: tuple[str, int],
    key: str | None = None,
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else None
    return call(
        client,
        guest.token,
        "POST",
        f"/v1/sessions/{guest.session_id}/orders",
        r.order_body(*lines),
        headers,
    )


# --- Server-Sent Events ------------------------------------------------------------------


@dataclass
class Message:
    """One SSE message, or one comment line (`comment` set, nothing else)."""

    id: str | None = None
    event: str | None = None
    data: str | None = None
    comment: str | None = None

    @property
    def json(self) -> Any:
        assert self.data is not None
        return json.loads(self.data)

    @property
    def eid(self) -> int:
        assert self.id is not None, self
        return int(self.id)


def parse_sse(lines: Iterator[str]) -> Iterator[Message]:
    """Messages of an SSE stream: fields up to a blank line; comments as they come. A
    message without data lines is yielded too (EventSource dispatches nothing for it but
    keeps its id as the Last-Event-ID: the server's "where you stand" marker)."""
    current = Message()
    data: list[str] = []
    seen = False
    for line in lines:
        if line == "":
            if seen:
                current.data = "\n".join(data) if data else None
                yield current
            current, data, seen = Message(), [], False
            continue
        if line.startswith(":"):
            yield Message(comment=line[1:].removeprefix(" "))
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        seen = True
        if name == "id":
            current.id = value
        elif name == "event":
            current.event = value
        elif name == "data":
            data.append(value)
        # retry and unknown fields are ignored, as browsers do


class StreamEnded(Exception):
    """The server closed the stream."""


class Stream:
    """An open SSE response read in the calling thread."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._messages = parse_sse(response.iter_lines()) if response.status_code == 200 else None
        self.events: list[Message] = []  # every message with data, in order
        self.markers: list[str] = []  # ids of messages without data ("you are here")
        self.comments = 0
        self.last_event_id: str | None = None  # what EventSource would send on reconnect

    @property
    def status_code(self) -> int:
        return self.response.status_code

    def next(self) -> Message:
        """The next message or comment; StreamEnded when the server closed the stream."""
        assert self._messages is not None, self.response.status_code
        try:
            message = next(self._messages)
        except StopIteration:
            raise StreamEnded from None
        if message.id is not None:
            self.last_event_id = message.id
        if message.comment is not None:
            self.comments += 1
        elif message.data is None:
            assert message.id is not None, message  # nothing else may come without data
            assert message.event is None, message
            self.markers.append(message.id)
        else:
            self.events.append(message)
        return message

    def read_until(self, done: Callable[[list[Message]], bool], timeout: float = 10) -> None:
        """Reads until `done(self.events)` holds; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not done(self.events):
            assert time.monotonic() < deadline, f"stream: timed out, got {self.describe()}"
            self.next()

    def read_for(self, seconds: float) -> None:
        """Reads everything that arrives for `seconds` (needs a short heartbeat)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.next()

    def read_to_end(self, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        try:
            while True:
                assert time.monotonic() < deadline, "the stream did not end"
                self.next()
        except StreamEnded:
            return

    def of_type(self, *types: str) -> list[Message]:
        return [m for m in self.events if m.event in types]

    def ticket_ids(self, event: str = "ticket.created") -> list[str]:
        return [m.json["id"] for m in self.events if m.event == event]

    @property
    def last_id(self) -> int:
        return max(m.eid for m in self.events if m.id is not None)

    def describe(self) -> list[tuple[str | None, str | None, str]]:
        return [(m.id, m.event, (m.data or "")[:80]) for m in self.events]


@contextmanager
def open_stream(
    client: httpx.Client,
    path: str,
    token: str | None,
    *,
    last_event_id: int | None = None,
    read_timeout: float = 10,
) -> Iterator[Stream]:
    """GET an SSE path with a bearer token (and Last-Event-ID); yields the Stream."""
    headers = {"Accept": "text/event-stream"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    timeout = httpx.Timeout(10, read=read_timeout)
    with client.stream("GET", path, headers=headers, timeout=timeout) as response:
        if response.status_code != 200:
            response.read()
        yield Stream(response)


def kds_path(r: Restaurant, station: str | None = None, **query: Any) -> str:
    params = dict(query)
    if station:
        params["station"] = r.stations[station]
    q = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/v1/branches/{r.branch_id}/kds/stream" + (f"?{q}" if q else "")


# --- a private PostgreSQL that a test may stop and start --------------------------------


@dataclass
class Cluster:
    url: str
    state: Path

    def control(self, action: str) -> None:
        lib = f". {ROOT}/scripts/lib.sh"
        subprocess.run(
            ["bash", "-c", f'{lib}; cluster_{action} "{self.state}"'],
            check=True,
            capture_output=True,
        )


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    """A second cluster of our own (as test_http_core.py makes), bootstrapped and migrated,
    that can be restarted without disturbing the suite's database."""
    home = Path(tempfile.mkdtemp(prefix="own-cluster-", dir=ROOT / ".brigade"))
    home.chmod(0o755)
    state = home / "pg"
    port = free_port()
    lib = f". {ROOT}/scripts/lib.sh"
    conf = '"fsync = off" "synchronous_commit = off" "full_page_writes = off"'
    subprocess.run(
        ["bash", "-c", f'{lib}; cluster_init "{state}" {port} {conf} && cluster_start "{state}"'],
        check=True,
        capture_output=True,
    )
    cluster = Cluster(f"postgresql://postgres@127.0.0.1:{port}/brigade", state)
    try:
        for args in (("db", "bootstrap"), ("db", "migrate")):
            done = brigade_cli(cluster.url, *args)
            assert done.returncode == 0, done.stderr
        yield cluster
    finally:
        cluster.control("stop")
        shutil.rmtree(home, ignore_errors=True)
