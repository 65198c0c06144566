"""Branches, staff, devices, stations, tables and sessions over real HTTP.

Two restaurants, A and B, are arranged as the superuser for every test (unique slugs and
emails per run). Callers are real tokens; every refusal is checked in the database too:
a request that was refused must have changed nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
import pytest
from world import Arranger, Tenant, assert_problem, call, one, tenant_rows

TIMEZONE = "Europe/Berlin"
TENANT_TABLES = (
    "app.branches",
    "app.memberships",
    "app.membership_branches",
    "app.stations",
    "app.dining_tables",
    "app.table_sessions",
    "app.devices",
    "app.device_codes",
    "app_private.staff_pins",
)


def snapshot(admin: psycopg.Connection, restaurant_id: UUID) -> dict[str, Any]:
    """Every row of one tenant, plus the global people and credentials counts (one query)."""
    return tenant_rows(
        admin,
        restaurant_id,
        TENANT_TABLES,
        "'restaurant', (select to_jsonb(r) from app.restaurants as r where id = %(rid)s)",
        "'users', (select count(*) from app.users)",
        "'credentials', (select count(*) from app_private.credentials)",
    )


@pytest.fixture
def world(admin: psycopg.Connection, mint: Callable[..., str]) -> tuple[Arranger, Tenant, Tenant]:
    w = Arranger(admin, mint)
    with admin.transaction():
        a, b = w.restaurant("a", timezone=TIMEZONE), w.restaurant("b", timezone=TIMEZONE)
        for t in (a, b):
            w.branch(t, "1")
            w.branch(t, "2")
            w.branch(t, "gone", deleted=True)
            w.person(t, "owner", "owner")
            w.person(t, "manager", "manager")
            w.person(t, "waiter", "waiter")
            w.person(t, "kitchen", "kitchen")
            w.table(t, "1", "T1")
            w.table(t, "1", "T2", open_session=True)
            w.table(t, "2", "T3")
            w.device(t, "1", "Pass screen")
        w.person(a, "branch_manager", "manager", branches=("1",))
    device = a.ids["device Pass screen"]
    # A PIN-login token: the kitchen person, on the device (like api.pin_login issues).
    a.tokens["device"] = mint(
        sub=str(a.people["kitchen"][0]),
        role="staff",
        app_role="kitchen",
        restaurant_id=str(a.id),
        branch_id=str(a.branches["1"]),
        device_id=str(device),
    )
    return w, a, b


# --- the allowed role gets through ----------------------------------------------------------


def test_owner_opens_a_branch_with_its_default_station(client, world):
    w, a, _ = world
    r = call(
        client,
        a.tokens["owner"],
        "POST",
        f"/v1/restaurants/{a.id}/branches",
        {"name": "Harbour", "address": "Quay 1", "timezone": "Europe/Lisbon", "auto_accept": True},
    )
    assert r.status_code == 201, r.text
    branch = r.json()
    assert branch["name"] == "Harbour"
    assert branch["timezone"] == "Europe/Lisbon"
    assert branch["auto_accept"] is True
    assert branch["qr_requires_open_table"] is False
    assert branch["restaurant_id"] == str(a.id)
    assert branch["deleted_at"] is None
    assert branch["created_at"].endswith("+00:00")
    stations = w.admin.execute(
        "select name, is_default from app.stations where restaurant_id = %s and branch_id = %s",
        [a.id, branch["id"]],
    ).fetchall()
    assert stations == [("Kitchen", True)]


def test_branch_read_edit_soft_delete_and_restore(client, world):
    w, a, _ = world
    owner, bid = a.tokens["owner"], a.branches["2"]
    r = call(client, owner, "GET", f"/v1/branches/{bid}")
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Branch 2"

    r = call(
        client,
        owner,
        "PATCH",
        f"/v1/branches/{bid}",
        {"name": "Old Town", "address": None, "qr_requires_open_table": True},
    )
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Old Town"
    assert r.json()["qr_requires_open_table"] is True
    assert one(w.admin, "select name from app.branches where id = %s", [bid]) == "Old Town"

    r = call(client, owner, "DELETE", f"/v1/branches/{bid}")
    assert r.status_code == 204, r.text
    assert one(w.admin, "select deleted_at is not null from app.branches where id = %s", [bid])
    listed = call(client, owner, "GET", f"/v1/restaurants/{a.id}/branches").json()
    assert str(bid) not in [b["id"] for b in listed["items"]]
    with_deleted = call(
        client, owner, "GET", f"/v1/restaurants/{a.id}/branches?include_deleted=true"
    ).json()
    assert str(bid) in [b["id"] for b in with_deleted["items"]]
    # A deleted branch is gone for everyone but the owner, and cannot be edited.
    assert_problem(
        call(client, a.tokens["manager"], "GET", f"/v1/branches/{bid}"), 404, "not_found"
    )
    assert_problem(
        call(client, owner, "PATCH", f"/v1/branches/{bid}", {"name": "X"}), 404, "not_found"
    )
    assert_problem(
        call(client, a.tokens["manager"], "POST", f"/v1/branches/{bid}/restore"), 404, "not_found"
    )
    assert call(client, owner, "GET", f"/v1/branches/{bid}").json()["deleted_at"] is not None

    r = call(client, owner, "POST", f"/v1/branches/{bid}/restore")
    assert r.status_code == 200, r.text
    assert r.json()["deleted_at"] is None
    assert one(w.admin, "select deleted_at is null from app.branches where id = %s", [bid])
    listed = call(client, a.tokens["waiter"], "GET", f"/v1/restaurants/{a.id}/branches").json()
    assert str(bid) in [b["id"] for b in listed["items"]]


def test_branch_names_are_unique_per_restaurant(client, world):
    w, a, b = world
    before = snapshot(w.admin, a.id)
    r = call(
        client, a.tokens["owner"], "POST", f"/v1/restaurants/{a.id}/branches", {"name": "Branch 1"}
    )
    assert_problem(r, 409, "branch_name_taken")
    # A deleted branch keeps its name (restore it instead).
    r = call(
        client,
        a.tokens["owner"],
        "POST",
        f"/v1/restaurants/{a.id}/branches",
        {"name": "Branch gone"},
    )
    assert_problem(r, 409, "branch_name_taken")
    assert snapshot(w.admin, a.id) == before
    # The same name in another restaurant is no conflict (and does not leak that it exists).
    r = call(
        client, b.tokens["owner"], "POST", f"/v1/restaurants/{b.id}/branches", {"name": "Harbour"}
    )
    assert r.status_code == 201, r.text
    r = call(
        client, a.tokens["owner"], "POST", f"/v1/restaurants/{a.id}/branches", {"name": "Harbour"}
    )
    assert r.status_code == 201, r.text


def test_branch_list_pages_with_a_cursor(client, world):
    w, _, _ = world
    c = w.restaurant("c", timezone=TIMEZONE)
    w.person(c, "owner", "owner")
    created = []
    for i in range(5):
        r = call(
            client, c.tokens["owner"], "POST", f"/v1/restaurants/{c.id}/branches", {"name": f"B{i}"}
        )
        assert r.status_code == 201, r.text
        created.append(r.json()["id"])

    seen: list[str] = []
    pages = []
    url = f"/v1/restaurants/{c.id}/branches?limit=2"
    while True:
        page = call(client, c.tokens["owner"], "GET", url).json()
        pages.append(len(page["items"]))
        seen += [b["id"] for b in page["items"]]
        if page["next_cursor"] is None:
            break
        assert page["next_cursor"] == page["items"][-1]["id"]
        url = f"/v1/restaurants/{c.id}/branches?limit=2&cursor={page['next_cursor']}"
    assert pages == [2, 2, 1]
    assert seen == sorted(created) == created  # uuid7: creation order is id order

    everything = call(client, c.tokens["owner"], "GET", f"/v1/restaurants/{c.id}/branches").json()
    assert [b["id"] for b in everything["items"]] == created
    assert everything["next_cursor"] is None
    exact = call(
        client, c.tokens["owner"], "GET", f"/v1/restaurants/{c.id}/branches?limit=5"
    ).json()
    assert len(exact["items"]) == 5
    assert exact["next_cursor"] is None


def test_staff_are_created_listed_edited_and_removed(client, world):
    w, a, _ = world
    manager = a.tokens["manager"]
    email = f"new-{w.run}-{secrets.token_hex(3)}@Example.test"
    r = call(
        client,
        manager,
        "POST",
        f"/v1/restaurants/{a.id}/staff",
        {
            "email": email,
            "name": "Nadia",
            "role": "waiter",
            "pin": "4821",
            "password": "correct horse battery",
            "branch_ids": [str(a.branches["1"])],
        },
    )
    assert r.status_code == 201, r.text
    staff = r.json()
    assert set(staff) == {
        "id",
        "user_id",
        "name",
        "email",
        "role",
        "branch_ids",
        "has_pin",
        "created_at",
    }
    assert staff["email"] == email.lower()
    assert staff["role"] == "waiter"
    assert staff["has_pin"] is True
    assert staff["branch_ids"] == [str(a.branches["1"])]
    sid, uid = staff["id"], staff["user_id"]
    # bcrypt for the password, sha256(restaurant:pin) for the PIN; neither readable as given.
    assert one(
        w.admin,
        "select password_hash = extensions.crypt('correct horse battery', password_hash) "
        "and password_hash like '$2a$08$%%' from app_private.credentials where user_id = %s",
        [uid],
    )
    pin_hash = one(
        w.admin, "select pin_hash from app_private.staff_pins where membership_id = %s", [sid]
    )
    assert bytes(pin_hash) == hashlib.sha256(f"{a.id}:4821".encode()).digest()

    listed = call(client, a.tokens["owner"], "GET", f"/v1/restaurants/{a.id}/staff").json()
    assert sid in [s["id"] for s in listed["items"]]
    assert len(listed["items"]) == 6  # owner, manager, waiter, kitchen, branch manager, Nadia

    r = call(
        client,
        manager,
        "PATCH",
        f"/v1/staff/{sid}",
        {"name": "Nadia K.", "role": "kitchen", "pin": "7777", "branch_ids": []},
    )
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Nadia K."
    assert r.json()["role"] == "kitchen"
    assert r.json()["branch_ids"] == []
    pin_hash = one(
        w.admin, "select pin_hash from app_private.staff_pins where membership_id = %s", [sid]
    )
    assert bytes(pin_hash) == hashlib.sha256(f"{a.id}:7777".encode()).digest()

    r = call(client, manager, "DELETE", f"/v1/staff/{sid}")
    assert r.status_code == 204, r.text
    assert one(w.admin, "select deleted_at is not null from app.memberships where id = %s", [sid])
    assert (
        one(w.admin, "select count(*) from app_private.staff_pins where membership_id = %s", [sid])
        == 0
    )
    listed = call(client, a.tokens["owner"], "GET", f"/v1/restaurants/{a.id}/staff").json()
    assert sid not in [s["id"] for s in listed["items"]]
    assert_problem(call(client, manager, "DELETE", f"/v1/staff/{sid}"), 404, "not_found")


def test_a_known_email_is_reused_without_leaking_or_touching_the_person(client, world):
    w, a, b = world
    # Someone who works at B, with a password of their own.
    b_user, _ = b.people["waiter"]
    email = one(w.admin, "select email from app.users where id = %s", [b_user])
    w.admin.execute(
        "insert into app_private.credentials (user_id, password_hash) "
        "values (%s, extensions.crypt('their own secret', extensions.gen_salt('bf', 4)))",
        [b_user],
    )
    old_hash = one(
        w.admin, "select password_hash from app_private.credentials where user_id = %s", [b_user]
    )
    fresh = f"fresh-{w.run}-{secrets.token_hex(3)}@example.test"

    known = call(
        client,
        a.tokens["owner"],
        "POST",
        f"/v1/restaurants/{a.id}/staff",
        {"email": email, "name": "Impostor", "role": "waiter", "password": "hijacked password"},
    )
    new = call(
        client,
        a.tokens["owner"],
        "POST",
        f"/v1/restaurants/{a.id}/staff",
        {"email": fresh, "name": "Fresh", "role": "waiter", "password": "a new password"},
    )
    assert known.status_code == new.status_code == 201, (known.text, new.text)
    assert set(known.json()) == set(new.json())
    assert known.json()["user_id"] == str(b_user)  # the same person, now in two restaurants
    assert one(w.admin, "select count(*) from app.users where email = %s", [email]) == 1
    assert one(w.admin, "select name from app.users where id = %s", [b_user]) == "Waiter"
    assert (
        one(
            w.admin,
            "select password_hash from app_private.credentials where user_id = %s",
            [b_user],
        )
        == old_hash
    )
    assert (
        one(
            w.admin,
            "select count(*) from app.memberships where user_id = %s and restaurant_id in (%s, %s)",
            [b_user, a.id, b.id],
        )
        == 2
    )
    # Adding the same person twice to one restaurant is a conflict within that restaurant.
    again = call(
        client,
        a.tokens["owner"],
        "POST",
        f"/v1/restaurants/{a.id}/staff",
        {"email": email, "name": "Again", "role": "kitchen"},
    )
    assert_problem(again, 409, "staff_exists")


def test_a_pin_names_one_person_per_restaurant(client, world):
    w, a, b = world
    owner = a.tokens["owner"]
    r = call(
        client,
        owner,
        "POST",
        f"/v1/restaurants/{a.id}/staff",
        {"name": "P1", "role": "kitchen", "pin": "2468"},
    )
    assert r.status_code == 201, r.text
    before = snapshot(w.admin, a.id)
    r = call(
        client,
        owner,
        "POST",
        f"/v1/restaurants/{a.id}/staff",
        {"name": "P2", "role": "kitchen", "pin": "2468"},
    )
    assert_problem(r, 409, "pin_taken")
    _, waiter = a.people["waiter"]
    assert_problem(
        call(client, owner, "PATCH", f"/v1/staff/{waiter}", {"pin": "2468"}), 409, "pin_taken"
    )
    assert snapshot(w.admin, a.id) == before
    # Another restaurant may use the same digits.
    r = call(
        client,
        b.tokens["owner"],
        "POST",
        f"/v1/restaurants/{b.id}/staff",
        {"name": "P3", "role": "kitchen", "pin": "2468"},
    )
    assert r.status_code == 201, r.text


def test_the_last_owner_stays(client, world):
    w, a, _ = world
    _, owner_mid = a.people["owner"]
    before = snapshot(w.admin, a.id)
    owner = a.tokens["owner"]
    assert_problem(call(client, owner, "DELETE", f"/v1/staff/{owner_mid}"), 409, "last_owner")
    assert_problem(
        call(client, owner, "PATCH", f"/v1/staff/{owner_mid}", {"role": "manager"}),
        409,
        "last_owner",
    )
    assert snapshot(w.admin, a.id) == before


def test_device_codes_devices_and_revocation(client, world):
    w, a, _ = world
    manager, bid = a.tokens["manager"], a.branches["1"]
    r = call(client, manager, "POST", f"/v1/branches/{bid}/device-codes")
    assert r.status_code == 201, r.text
    code, expires_at = r.json()["activation_code"], r.json()["expires_at"]
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{10}", code), code
    expires = datetime.fromisoformat(expires_at)
    assert expires.utcoffset() == timedelta(0)
    assert abs(expires - datetime.now(UTC) - timedelta(hours=24)) < timedelta(minutes=5)
    stored = w.admin.execute(
        "select code_hash, branch_id, used_at from app.device_codes where id = %s", [r.json()["id"]]
    ).fetchone()
    assert stored is not None
    assert bytes(stored[0]) == hashlib.sha256(code.encode()).digest()  # only the hash is kept
    assert stored[1:] == (bid, None)
    second = call(client, manager, "POST", f"/v1/branches/{bid}/device-codes").json()
    assert second["activation_code"] != code

    listed = call(client, manager, "GET", f"/v1/branches/{bid}/devices").json()
    did = a.ids["device Pass screen"]
    assert [d["id"] for d in listed["items"]] == [str(did)]
    assert listed["items"][0]["revoked_at"] is None
    stations = f"/v1/branches/{bid}/stations"
    assert call(client, a.tokens["device"], "GET", stations).status_code == 200
    assert (
        call(client, manager, "GET", f"/v1/branches/{a.branches['2']}/devices").json()["items"]
        == []
    )

    r = call(client, manager, "DELETE", f"/v1/devices/{did}")
    assert r.status_code == 204, r.text
    revoked_at = one(w.admin, "select revoked_at from app.devices where id = %s", [did])
    assert revoked_at is not None
    # The device's token stops working at once, on every route.
    assert_problem(call(client, a.tokens["device"], "GET", stations), 401, "token_revoked")
    assert call(client, manager, "DELETE", f"/v1/devices/{did}").status_code == 204  # idempotent
    assert one(w.admin, "select revoked_at from app.devices where id = %s", [did]) == revoked_at
    listed = call(client, manager, "GET", f"/v1/branches/{bid}/devices").json()
    assert listed["items"][0]["revoked_at"] is not None


def test_stations_are_created_and_listed(client, world):
    _, a, _ = world
    bid = a.branches["1"]
    r = call(
        client,
        a.tokens["manager"],
        "POST",
        f"/v1/branches/{bid}/stations",
        {"name": "Grill", "category_ids": [], "target_seconds": 420},
    )
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "Grill"
    assert r.json()["is_default"] is False
    assert r.json()["target_seconds"] == 420
    assert r.json()["category_ids"] == []
    assert_problem(
        call(client, a.tokens["owner"], "POST", f"/v1/branches/{bid}/stations", {"name": "Grill"}),
        409,
        "station_name_taken",
    )
    # The kitchen reads them too (a screen picks its station).
    listed = call(client, a.tokens["kitchen"], "GET", f"/v1/branches/{bid}/stations").json()
    assert [(s["name"], s["is_default"]) for s in listed["items"]] == [
        ("Kitchen", True),
        ("Grill", False),
    ]


def test_tables_open_and_close(client, world):
    w, a, _ = world
    bid = a.branches["1"]
    r = call(
        client,
        a.tokens["manager"],
        "POST",
        f"/v1/branches/{bid}/tables",
        {"label": "Patio 4", "seats": 6},
    )
    assert r.status_code == 201, r.text
    table = r.json()
    assert table["seats"] == 6
    assert table["open_session_id"] is None
    assert len(table["qr_token"]) >= 20
    assert_problem(
        call(client, a.tokens["owner"], "POST", f"/v1/branches/{bid}/tables", {"label": "Patio 4"}),
        409,
        "table_label_taken",
    )

    waiter = a.tokens["waiter"]
    r = call(client, waiter, "POST", f"/v1/tables/{table['id']}/open")
    assert r.status_code == 201, r.text
    session = r.json()
    assert session["table_id"] == table["id"]
    assert session["closed_at"] is None
    assert session["opened_by"] == str(a.people["waiter"][0])
    listed = call(client, waiter, "GET", f"/v1/branches/{bid}/tables").json()
    by_id = {t["id"]: t for t in listed["items"]}
    assert by_id[table["id"]]["open_session_id"] == session["session_id"]
    assert by_id[str(a.ids["table T2"])]["open_session_id"] == str(a.ids["session T2"])
    assert by_id[str(a.ids["table T1"])]["open_session_id"] is None

    before = snapshot(w.admin, a.id)
    assert_problem(
        call(client, a.tokens["manager"], "POST", f"/v1/tables/{table['id']}/open"),
        409,
        "table_already_open",
    )
    assert snapshot(w.admin, a.id) == before

    guest = w.mint(
        sub=session["session_id"],
        role="customer",
        app_role="customer",
        restaurant_id=str(a.id),
        branch_id=str(bid),
        session_id=session["session_id"],
    )
    assert call(client, guest, "GET", "/v1/whoami").status_code == 200
    r = call(client, waiter, "POST", f"/v1/sessions/{session['session_id']}/close")
    assert r.status_code == 200, r.text
    # The guests' token of a closed session stops working at once.
    assert_problem(call(client, guest, "GET", "/v1/whoami"), 401, "session_closed")
    assert r.json()["closed_at"] is not None
    assert r.json()["closed_by"] == str(a.people["waiter"][0])
    assert_problem(
        call(client, waiter, "POST", f"/v1/sessions/{session['session_id']}/close"),
        409,
        "session_already_closed",
    )
    listed = call(client, waiter, "GET", f"/v1/branches/{bid}/tables").json()
    assert {t["id"]: t for t in listed["items"]}[table["id"]]["open_session_id"] is None
    # Closed sessions keep their history; the table opens again.
    assert call(client, waiter, "POST", f"/v1/tables/{table['id']}/open").status_code == 201
    assert (
        one(w.admin, "select count(*) from app.table_sessions where table_id = %s", [table["id"]])
        == 2
    )


# --- another tenant's ids: 404, and nothing changes -----------------------------------------

CROSS_TENANT = [
    ("GET", "/v1/restaurants/{rid}", None),
    ("PATCH", "/v1/restaurants/{rid}", {"name": "Hijacked"}),
    ("POST", "/v1/restaurants/{rid}/branches", {"name": "Hijack"}),
    ("GET", "/v1/restaurants/{rid}/branches", None),
    ("GET", "/v1/branches/{b1}", None),
    ("PATCH", "/v1/branches/{b1}", {"name": "Hijacked"}),
    ("DELETE", "/v1/branches/{b1}", None),
    ("POST", "/v1/branches/{gone}/restore", None),
    ("POST", "/v1/restaurants/{rid}/staff", {"name": "Mole", "role": "waiter", "pin": "9999"}),
    ("GET", "/v1/restaurants/{rid}/staff", None),
    ("PATCH", "/v1/staff/{waiter}", {"name": "Hijacked", "pin": "9998"}),
    ("DELETE", "/v1/staff/{waiter}", None),
    ("POST", "/v1/branches/{b1}/device-codes", None),
    ("GET", "/v1/branches/{b1}/devices", None),
    ("DELETE", "/v1/devices/{device}", None),
    ("POST", "/v1/branches/{b1}/stations", {"name": "Hijack"}),
    ("GET", "/v1/branches/{b1}/stations", None),
    ("POST", "/v1/branches/{b1}/tables", {"label": "Hijack", "seats": 2}),
    ("GET", "/v1/branches/{b1}/tables", None),
    ("POST", "/v1/tables/{table}/open", None),
    ("POST", "/v1/sessions/{session}/close", None),
]


def ids_of(t: Tenant) -> dict[str, UUID]:
    return {
        "rid": t.id,
        "b1": t.branches["1"],
        "gone": t.branches["gone"],
        "waiter": t.people["waiter"][1],
        "device": t.ids["device Pass screen"],
        "table": t.ids["table T1"],
        "session": t.ids["session T2"],
    }


@pytest.mark.parametrize(("method", "path", "body"), CROSS_TENANT, ids=str)
@pytest.mark.parametrize("caller", ["owner", "manager"])
def test_another_tenants_ids_are_not_found_and_nothing_changes(
    client, world, method, path, body, caller
):
    w, a, b = world
    url = path.format(**ids_of(b))
    before = snapshot(w.admin, b.id)
    assert_problem(call(client, a.tokens[caller], method, url, body), 404, "not_found")
    assert snapshot(w.admin, b.id) == before
    # Positive control: B's own owner reaches the very same object.
    if method == "GET":
        assert call(client, b.tokens["owner"], method, url).status_code == 200


def test_the_same_routes_succeed_for_their_own_tenant(client, world):
    """The cross-tenant list is not vacuous: each route works with the caller's own ids."""
    _, a, _ = world
    expected = {"GET": 200, "PATCH": 200, "DELETE": 204}
    # Deletes last: the other routes still need the branch, the waiter and the device.
    for method, path, body in sorted(CROSS_TENANT, key=lambda route: route[0] == "DELETE"):
        url = path.format(**ids_of(a))
        r = call(client, a.tokens["owner"], method, url, body)
        want = expected.get(method) or (200 if path.endswith(("restore", "close")) else 201)
        assert r.status_code == want, (method, url, r.text)


# --- known, but not allowed: 403, and nothing changes ---------------------------------------

FORBIDDEN = [
    ("waiter", "PATCH", "/v1/branches/{b1}", {"name": "Mine now"}),
    ("manager", "PATCH", "/v1/branches/{b1}", {"name": "Mine now"}),
    ("manager", "GET", "/v1/branches/{b1}", None),
    ("manager", "DELETE", "/v1/branches/{b1}", None),
    ("manager", "POST", "/v1/branches/{b1}/restore", None),
    ("waiter", "POST", "/v1/restaurants/{rid}/branches", {"name": "Pop-up"}),
    (
        "manager",
        "POST",
        "/v1/restaurants/{rid}/staff",
        {"name": "Boss", "role": "owner", "pin": "1357"},
    ),
    (
        "waiter",
        "POST",
        "/v1/restaurants/{rid}/staff",
        {"name": "Pal", "role": "waiter", "pin": "1357"},
    ),
    ("waiter", "GET", "/v1/restaurants/{rid}/staff", None),
    ("manager", "PATCH", "/v1/staff/{owner}", {"name": "Demoted"}),
    ("manager", "PATCH", "/v1/staff/{waiter}", {"role": "owner"}),
    ("manager", "DELETE", "/v1/staff/{owner}", None),
    ("waiter", "PATCH", "/v1/staff/{waiter}", {"role": "manager"}),
    ("waiter", "POST", "/v1/branches/{b1}/device-codes", None),
    ("kitchen", "POST", "/v1/branches/{b1}/device-codes", None),
    ("device", "DELETE", "/v1/devices/{device}", None),
    ("waiter", "POST", "/v1/branches/{b1}/stations", {"name": "Bar"}),
    ("waiter", "POST", "/v1/branches/{b1}/tables", {"label": "T9"}),
    ("kitchen", "POST", "/v1/tables/{table}/open", None),
    ("kitchen", "POST", "/v1/sessions/{session}/close", None),
    (
        "branch_manager",
        "POST",
        "/v1/restaurants/{rid}/staff",
        {"name": "Pal", "role": "waiter", "pin": "1357"},
    ),
]


@pytest.mark.parametrize(("caller", "method", "path", "body"), FORBIDDEN, ids=str)
def test_known_but_not_allowed_is_forbidden_and_nothing_changes(
    client, world, caller, method, path, body
):
    w, a, _ = world
    ids = ids_of(a) | {"owner": a.people["owner"][1]}
    before = snapshot(w.admin, a.id)
    assert_problem(
        call(client, a.tokens[caller], method, path.format(**ids), body), 403, "forbidden"
    )
    assert snapshot(w.admin, a.id) == before


# --- bad input: 422 problem+json, nothing written -------------------------------------------

BAD_INPUT = [
    ("POST", "/v1/restaurants/{rid}/branches", {"name": "X", "colour": "red"}),
    ("POST", "/v1/restaurants/{rid}/branches", {"name": 5}),
    ("POST", "/v1/restaurants/{rid}/branches", {"name": "   "}),
    ("POST", "/v1/restaurants/{rid}/branches", {"name": "x" * 121}),
    ("POST", "/v1/restaurants/{rid}/branches", {"name": "Mars", "timezone": "Mars/Olympus"}),
    ("PATCH", "/v1/branches/{b1}", {"name": ""}),
    ("PATCH", "/v1/branches/{b1}", {"timezone": "Nowhere/Special"}),
    ("POST", "/v1/restaurants/{rid}/staff", {"name": "P", "role": "chef", "pin": "1234"}),
    ("POST", "/v1/restaurants/{rid}/staff", {"name": "P", "role": "waiter", "pin": "12"}),
    ("POST", "/v1/restaurants/{rid}/staff", {"name": "P", "role": "waiter", "pin": "12ab"}),
    ("POST", "/v1/restaurants/{rid}/staff", {"name": "P", "role": "waiter"}),
    (
        "POST",
        "/v1/restaurants/{rid}/staff",
        {"name": "P", "role": "waiter", "password": "longenough"},
    ),
    (
        "POST",
        "/v1/restaurants/{rid}/staff",
        {"name": "P", "role": "waiter", "email": "not-an-email"},
    ),
    (
        "POST",
        "/v1/restaurants/{rid}/staff",
        {"name": "P", "role": "waiter", "email": "short@example.test", "password": "short"},
    ),
    (
        "POST",
        "/v1/restaurants/{rid}/staff",
        {"name": "P", "role": "waiter", "pin": "1234", "branch_ids": ["{other_branch}"]},
    ),
    ("PATCH", "/v1/staff/{waiter}", {"role": "boss"}),
    ("PATCH", "/v1/staff/{waiter}", {"branch_ids": ["{other_branch}"]}),
    ("POST", "/v1/branches/{b1}/stations", {"name": "Bar", "category_ids": ["{other_branch}"]}),
    ("POST", "/v1/branches/{b1}/stations", {"name": "Bar", "target_seconds": 5}),
    ("POST", "/v1/branches/{b1}/tables", {"label": "T9", "seats": 0}),
    ("POST", "/v1/branches/{b1}/tables", {"label": "T9", "seats": 2.5}),
    ("POST", "/v1/branches/{b1}/tables", {"label": ""}),
    ("GET", "/v1/restaurants/{rid}/branches?limit=0", None),
    ("GET", "/v1/restaurants/{rid}/branches?limit=201", None),
    ("GET", "/v1/restaurants/{rid}/staff?limit=-1", None),
    ("GET", "/v1/branches/{b1}/tables?cursor=not-a-uuid", None),
]


def fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.format(**ids) if "{" in value else value
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body"), BAD_INPUT, ids=lambda v: str(v)[:60])
def test_bad_input_is_a_422_problem_and_nothing_is_written(client, world, method, path, body):
    w, a, b = world
    ids = ids_of(a) | {"other_branch": b.branches["1"]}
    before = snapshot(w.admin, a.id)
    r = call(client, a.tokens["owner"], method, fill(path, ids), fill(body, ids))
    assert_problem(r, 422, "validation_failed")
    assert r.json()["detail"]
    assert snapshot(w.admin, a.id) == before


# --- branch scope: a manager of branch 1 does not see branch 2 ------------------------------


def test_a_branch_manager_sees_only_their_branch(client, world):
    w, a, _ = world
    token, mine, other = a.tokens["branch_manager"], a.branches["1"], a.branches["2"]
    listed = call(client, token, "GET", f"/v1/restaurants/{a.id}/branches").json()
    assert [b["id"] for b in listed["items"]] == [str(mine)]

    before = snapshot(w.admin, a.id)
    for method, path, body in [
        ("GET", f"/v1/branches/{other}/tables", None),
        ("GET", f"/v1/branches/{other}/stations", None),
        ("GET", f"/v1/branches/{other}/devices", None),
        ("POST", f"/v1/branches/{other}/tables", {"label": "Sneaky"}),
        ("POST", f"/v1/branches/{other}/stations", {"name": "Sneaky"}),
        ("POST", f"/v1/branches/{other}/device-codes", None),
        ("POST", f"/v1/tables/{a.ids['table T3']}/open", None),
    ]:
        assert_problem(call(client, token, method, path, body), 404, "not_found")
    assert snapshot(w.admin, a.id) == before

    # Positive control: their own branch works.
    tables = call(client, token, "GET", f"/v1/branches/{mine}/tables").json()
    assert {t["label"] for t in tables["items"]} == {"T1", "T2"}
    stations = call(client, token, "GET", f"/v1/branches/{mine}/stations").json()
    assert [s["name"] for s in stations["items"]] == ["Kitchen"]
    r = call(client, token, "POST", f"/v1/branches/{mine}/tables", {"label": "T8"})
    assert r.status_code == 201, r.text
    # Staff they add are bound to their branch; a branch they cannot see is unknown.
    r = call(
        client,
        token,
        "POST",
        f"/v1/restaurants/{a.id}/staff",
        {"name": "Local", "role": "waiter", "pin": "8642", "branch_ids": [str(mine)]},
    )
    assert r.status_code == 201, r.text
    r = call(
        client,
        token,
        "POST",
        f"/v1/restaurants/{a.id}/staff",
        {"name": "Far", "role": "waiter", "pin": "8643", "branch_ids": [str(other)]},
    )
    assert_problem(r, 422, "validation_failed")


def test_every_tenancy_route_is_in_the_openapi_document(client):
    spec = client.get("/schema/openapi.json").json()
    ops = {op["operationId"] for item in spec["paths"].values() for op in item.values()}
    assert {
        "createBranch",
        "listBranches",
        "getBranch",
        "updateBranch",
        "deleteBranch",
        "restoreBranch",
        "createStaff",
        "listStaff",
        "updateStaff",
        "deleteStaff",
        "createDeviceCode",
        "listDevices",
        "revokeDevice",
        "createStation",
        "listStations",
        "createTable",
        "listTables",
        "openTable",
        "closeTableSession",
    } <= ops


def test_without_a_token_the_routes_ask_for_one(client, world):
    w, a, _ = world
    before = snapshot(w.admin, a.id)
    for method, path, body in CROSS_TENANT:
        r = client.request(method, path.format(**ids_of(a)), json=body)
        assert_problem(r, 401, "unauthorized")
        assert r.headers["www-authenticate"] == "Bearer"
    assert snapshot(w.admin, a.id) == before
