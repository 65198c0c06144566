"""The catalog over real HTTP: owners build a menu, guests read it, the kitchen 86es.

Two restaurants, A and B, are arranged as the superuser for every test (unique slugs and
emails per run); A builds its menu through the API. Callers are real tokens; a guest is a
client with no token at all. Every refusal is checked in the database too: a request that
was refused must have changed nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import httpx
import psycopg
import pytest
from world import Arranger, Tenant, assert_problem, call, one, tenant_rows

TIMEZONE = "Asia/Riyadh"
CATALOG_TABLES = (
    "app.categories",
    "app.items",
    "app.modifier_groups",
    "app.modifier_options",
    "app.item_modifier_groups",
    "app.branch_item_availability",
    "app.station_categories",
    "app.stations",
)

# The menu document, level by level, as API.md gives it; image_url is an extra item field
# (API.md allows extra fields), pinned here so that any change to the shape is deliberate.
DOCUMENT_KEYS = {"branch_id", "currency", "version", "categories"}
CATEGORY_KEYS = {"id", "name", "position", "items"}
ITEM_KEYS = {
    "id",
    "name",
    "description",
    "price",
    "available",
    "allergens",
    "dietary",
    "modifier_groups",
    "image_url",
}
GROUP_KEYS = {"id", "name", "min_select", "max_select", "options"}
OPTION_KEYS = {"id", "name", "price_delta"}


def snapshot(admin: psycopg.Connection, restaurant_id: UUID) -> dict[str, Any]:
    """Every catalog row of one tenant (one query)."""
    return tenant_rows(admin, restaurant_id, CATALOG_TABLES)


def created(r: httpx.Response) -> dict[str, Any]:
    assert r.status_code == 201, r.text
    return r.json()


def build_menu(client: httpx.Client, t: Tenant) -> None:
    """The owner builds A's menu over HTTP: two categories, a modifier group, four items."""
    owner, rid = t.tokens["owner"], t.id
    mains = created(
        call(
            client,
            owner,
            "POST",
            f"/v1/restaurants/{rid}/categories",
            {"name": "Mains", "position": 1, "translations": {"ar": {"name": "أطباق رئيسية"}}},
        )
    )
    drinks = created(
        call(
            client,
            owner,
            "POST",
            f"/v1/restaurants/{rid}/categories",
            {"name": "Drinks", "position": 2},
        )
    )
    size = created(
        call(
            client,
            owner,
            "POST",
            f"/v1/restaurants/{rid}/modifier-groups",
            {
                "name": "Size",
                "min_select": 1,
                "max_select": 1,
                "options": [
                    {"name": "Regular", "price_delta": 0},
                    {"name": "Large", "price_delta": 400},
                ],
            },
        )
    )
    t.ids |= {"mains": mains["id"], "drinks": drinks["id"], "size": size["id"]}
    items = [
        {
            "category_id": mains["id"],
            "name": "Chicken Shawarma",
            "description": "Grilled chicken, garlic sauce",
            "price": 1800,
            "translations": {"ar": {"name": "شاورما دجاج", "description": "دجاج مشوي"}},
            "allergens": ["gluten"],
            "dietary": ["halal"],
            "modifier_group_ids": [size["id"]],
            "position": 1,
        },
        {
            "category_id": mains["id"],
            "name": "Hummus",
            "description": "Chickpeas and tahini",
            "price": 900,
            "allergens": ["sesame"],
            "dietary": ["vegan"],
            "position": 2,
        },
        {"category_id": mains["id"], "name": "فلافل", "price": 700, "position": 3},
        {"category_id": drinks["id"], "name": "Lemonade", "price": 500},
    ]
    for body in items:
        item = created(call(client, owner, "POST", f"/v1/restaurants/{rid}/items", body))
        assert item["price"] == body["price"]
        t.ids[body["name"]] = item["id"]


@pytest.fixture
def world(admin: psycopg.Connection, mint: Callable[..., str]) -> tuple[Arranger, Tenant, Tenant]:
    w = Arranger(admin, mint)
    with admin.transaction():
        a, b = (
            w.restaurant(
                label, currency="SAR", timezone=TIMEZONE, locale="en", search_config="english"
            )
            for label in ("a", "b")
        )
        for t in (a, b):
            w.branch(t, "1")
            w.branch(t, "2")
            w.person(t, "owner", "owner")
            w.person(t, "manager", "manager")
            w.person(t, "waiter", "waiter")
            w.person(t, "kitchen", "kitchen", branches=("1",))
    return w, a, b


@pytest.fixture
def menu(
    client: httpx.Client, world: tuple[Arranger, Tenant, Tenant]
) -> tuple[Arranger, Tenant, Tenant]:
    w, a, b = world
    build_menu(client, a)
    build_menu(client, b)
    return w, a, b


def get_menu(
    client: httpx.Client, bid: UUID, lang: str | None = None, etag: str | None = None
) -> httpx.Response:
    """A guest's phone: no token at all."""
    params = {"lang": lang} if lang else None
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(f"/v1/branches/{bid}/menu", params=params, headers=headers)


def hhmm(t: datetime) -> str:
    return t.strftime("%H:%M")


def items_by_name(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["name"]: i for c in document["categories"] for i in c["items"]}


# --- an owner builds a menu, a guest reads it -----------------------------------------------


def test_a_guest_reads_the_menu_the_owner_built(client, menu):
    _, a, _ = menu
    r = get_menu(client, a.branches["1"])
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert re.fullmatch(r'"[0-9a-f]{32}"', r.headers["etag"]), r.headers
    assert r.headers["cache-control"] == "public, max-age=0, must-revalidate"
    doc = r.json()

    # The shape, level by level, exactly.
    assert set(doc) == DOCUMENT_KEYS
    assert doc["branch_id"] == str(a.branches["1"])
    assert doc["currency"] == "SAR"
    assert isinstance(doc["version"], int)
    assert [c["name"] for c in doc["categories"]] == ["Mains", "Drinks"]
    for category in doc["categories"]:
        assert set(category) == CATEGORY_KEYS
        for item in category["items"]:
            assert set(item) == ITEM_KEYS
            for group in item["modifier_groups"]:
                assert set(group) == GROUP_KEYS
                for option in group["options"]:
                    assert set(option) == OPTION_KEYS

    mains = doc["categories"][0]
    assert mains["id"] == a.ids["mains"]
    assert [i["name"] for i in mains["items"]] == ["Chicken Shawarma", "Hummus", "فلافل"]
    chicken = mains["items"][0]
    assert chicken == {
        "id": a.ids["Chicken Shawarma"],
        "name": "Chicken Shawarma",
        "description": "Grilled chicken, garlic sauce",
        "price": 1800,
        "available": True,
        "allergens": ["gluten"],
        "dietary": ["halal"],
        "image_url": None,
        "modifier_groups": [
            {
                "id": a.ids["size"],
                "name": "Size",
                "min_select": 1,
                "max_select": 1,
                "options": [
                    {
                        "id": chicken["modifier_groups"][0]["options"][0]["id"],
                        "name": "Regular",
                        "price_delta": 0,
                    },
                    {
                        "id": chicken["modifier_groups"][0]["options"][1]["id"],
                        "name": "Large",
                        "price_delta": 400,
                    },
                ],
            }
        ],
    }
    assert [i["name"] for i in doc["categories"][1]["items"]] == ["Lemonade"]


def test_staff_list_what_the_owner_built(client, menu):
    _, a, _ = menu
    waiter = a.tokens["waiter"]
    r = call(client, waiter, "GET", f"/v1/restaurants/{a.id}/items?limit=3")
    assert r.status_code == 200, r.text
    first = r.json()
    assert len(first["items"]) == 3
    assert first["next_cursor"] == first["items"][-1]["id"]
    rest = call(
        client, waiter, "GET", f"/v1/restaurants/{a.id}/items?limit=3&cursor={first['next_cursor']}"
    ).json()
    assert rest["next_cursor"] is None
    names = [i["name"] for i in first["items"] + rest["items"]]
    assert sorted(names) == sorted(["Chicken Shawarma", "Hummus", "فلافل", "Lemonade"])

    chicken = call(client, waiter, "GET", f"/v1/items/{a.ids['Chicken Shawarma']}").json()
    assert chicken["modifier_group_ids"] == [a.ids["size"]]
    assert chicken["translations"] == {"ar": {"name": "شاورما دجاج", "description": "دجاج مشوي"}}

    groups = call(client, waiter, "GET", f"/v1/restaurants/{a.id}/modifier-groups").json()
    assert [(g["name"], [o["name"] for o in g["options"]]) for g in groups["items"]] == [
        ("Size", ["Regular", "Large"])
    ]
    categories = call(client, waiter, "GET", f"/v1/restaurants/{a.id}/categories").json()
    assert sorted(c["name"] for c in categories["items"]) == ["Drinks", "Mains"]


# --- 86, ETag and 304 -------------------------------------------------------------------------


def test_an_86_flips_available_and_the_etag_of_that_branch_only(client, menu):
    _, a, _ = menu
    b1, b2, hummus = a.branches["1"], a.branches["2"], a.ids["Hummus"]
    before_1 = get_menu(client, b1)
    before_2 = get_menu(client, b2)
    assert items_by_name(before_1.json())["Hummus"]["available"] is True

    r = call(
        client,
        a.tokens["kitchen"],
        "PUT",
        f"/v1/branches/{b1}/items/{hummus}/availability",
        {"available": False},
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"branch_id": str(b1), "item_id": hummus, "available": False}

    after_1 = get_menu(client, b1)
    assert after_1.headers["etag"] != before_1.headers["etag"]
    item = items_by_name(after_1.json())["Hummus"]
    assert item["available"] is False  # sold out, but still on the menu
    assert item["price"] == 900
    after_2 = get_menu(client, b2)
    assert after_2.headers["etag"] == before_2.headers["etag"]
    assert items_by_name(after_2.json())["Hummus"]["available"] is True

    # The same 86 again is a no-op: the menu keeps its ETag.
    r = call(
        client,
        a.tokens["waiter"],
        "PUT",
        f"/v1/branches/{b1}/items/{hummus}/availability",
        {"available": False},
    )
    assert r.status_code == 200, r.text
    assert get_menu(client, b1).headers["etag"] == after_1.headers["etag"]

    # Back on.
    r = call(
        client,
        a.tokens["kitchen"],
        "PUT",
        f"/v1/branches/{b1}/items/{hummus}/availability",
        {"available": True},
    )
    assert r.status_code == 200, r.text
    assert items_by_name(get_menu(client, b1).json())["Hummus"]["available"] is True


def test_the_kitchen_86es_only_at_its_own_branch(client, menu):
    w, a, _ = menu
    before = snapshot(w.admin, a.id)
    r = call(
        client,
        a.tokens["kitchen"],
        "PUT",
        f"/v1/branches/{a.branches['2']}/items/{a.ids['Hummus']}/availability",
        {"available": False},
    )
    assert_problem(r, 404, "not_found")
    r = call(
        client,
        a.tokens["kitchen"],
        "PUT",
        f"/v1/branches/{a.branches['1']}/items/{a.ids['Hummus']}/availability",
        {"available": "no"},
    )
    assert_problem(r, 422, "validation_failed")
    assert snapshot(w.admin, a.id) == before


def test_if_none_match_gets_304_until_the_price_changes(client, menu):
    _, a, _ = menu
    b1 = a.branches["1"]
    first = get_menu(client, b1)
    etag = first.headers["etag"]

    r = get_menu(client, b1, etag=etag)
    assert r.status_code == 304
    assert r.content == b""
    assert r.headers["etag"] == etag

    r = call(client, a.tokens["manager"], "PATCH", f"/v1/items/{a.ids['Lemonade']}", {"price": 550})
    assert r.status_code == 200, r.text
    assert r.json()["price"] == 550

    r = get_menu(client, b1, etag=etag)
    assert r.status_code == 200, r.text
    assert r.headers["etag"] != etag
    assert items_by_name(r.json())["Lemonade"]["price"] == 550
    assert get_menu(client, b1, etag=r.headers["etag"]).status_code == 304


# --- languages and search ---------------------------------------------------------------------


def test_lang_picks_translations_and_falls_back_to_the_base_name(client, menu):
    _, a, _ = menu
    r = get_menu(client, a.branches["1"], lang="ar")
    assert r.status_code == 200, r.text
    doc = r.json()
    assert [c["name"] for c in doc["categories"]] == ["أطباق رئيسية", "Drinks"]
    mains = doc["categories"][0]["items"]
    assert [i["name"] for i in mains] == ["شاورما دجاج", "Hummus", "فلافل"]
    assert mains[0]["description"] == "دجاج مشوي"
    assert mains[1]["description"] == "Chickpeas and tahini"
    assert r.headers["etag"] != get_menu(client, a.branches["1"]).headers["etag"]
    # A language nobody translated into is the restaurant's own menu.
    fr = get_menu(client, a.branches["1"], lang="fr")
    assert fr.status_code == 200
    assert fr.headers["etag"] == get_menu(client, a.branches["1"]).headers["etag"]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("chick", "Chicken Shawarma"),  # the last word matches as a prefix
        ("Shawarma", "Chicken Shawarma"),
        ("شاورما", "Chicken Shawarma"),  # an Arabic translation
        ("فلاف", "فلافل"),  # an item named in Arabic, by prefix
    ],
)
def test_search_finds_items_in_english_and_arabic(client, menu, query, first):
    _, a, _ = menu
    r = client.get(f"/v1/branches/{a.branches['1']}/menu/search", params={"q": query})
    assert r.status_code == 200, r.text
    hits = r.json()["items"]
    assert hits, f"no hit for {query!r}"
    assert hits[0]["name"] == first
    assert hits[0]["id"] == a.ids[first]


def test_search_never_finds_another_restaurants_items(client, menu):
    _, a, b = menu
    r = client.get(f"/v1/branches/{b.branches['1']}/menu/search", params={"q": "chick"})
    assert r.status_code == 200, r.text
    # "chick" finds the chicken by name and the hummus by its chickpeas: B's, never A's.
    hits = {h["id"] for h in r.json()["items"]}
    assert hits == {b.ids["Chicken Shawarma"], b.ids["Hummus"]}
    assert not hits & set(a.ids.values())


# --- soft delete and restore ------------------------------------------------------------------


def test_a_deleted_item_leaves_the_menu_and_restore_brings_it_back(client, menu):
    w, a, _ = menu
    owner, hummus, b1 = a.tokens["owner"], a.ids["Hummus"], a.branches["1"]
    r = call(client, owner, "DELETE", f"/v1/items/{hummus}")
    assert r.status_code == 204, r.text
    assert "Hummus" not in items_by_name(get_menu(client, b1).json())
    assert one(w.admin, "select deleted_at is not null from app.items where id = %s", [hummus])
    assert call(client, owner, "GET", f"/v1/items/{hummus}").json()["deleted_at"] is not None
    assert_problem(
        call(client, owner, "PATCH", f"/v1/items/{hummus}", {"price": 1}), 404, "not_found"
    )
    hits = client.get(f"/v1/branches/{b1}/menu/search", params={"q": "hummus"}).json()["items"]
    assert hits == []

    r = call(client, owner, "POST", f"/v1/items/{hummus}/restore")
    assert r.status_code == 200, r.text
    assert r.json()["deleted_at"] is None
    assert items_by_name(get_menu(client, b1).json())["Hummus"]["price"] == 900


def test_a_category_with_items_is_not_deleted(client, menu):
    w, a, _ = menu
    owner = a.tokens["owner"]
    before = snapshot(w.admin, a.id)
    assert_problem(
        call(client, owner, "DELETE", f"/v1/categories/{a.ids['drinks']}"),
        409,
        "category_not_empty",
    )
    assert snapshot(w.admin, a.id) == before
    assert call(client, owner, "DELETE", f"/v1/items/{a.ids['Lemonade']}").status_code == 204
    assert call(client, owner, "DELETE", f"/v1/categories/{a.ids['drinks']}").status_code == 204
    doc = get_menu(client, a.branches["1"]).json()
    assert [c["name"] for c in doc["categories"]] == ["Mains"]


def test_category_edits_reach_the_menu(client, menu):
    _, a, _ = menu
    r = call(
        client,
        a.tokens["manager"],
        "PATCH",
        f"/v1/categories/{a.ids['drinks']}",
        {"name": "Cold drinks", "position": 0, "translations": {"ar": {"name": "مشروبات باردة"}}},
    )
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Cold drinks"
    doc = get_menu(client, a.branches["1"], lang="ar").json()
    assert [c["name"] for c in doc["categories"]] == ["مشروبات باردة", "أطباق رئيسية"]
    r = call(
        client,
        a.tokens["manager"],
        "PATCH",
        f"/v1/categories/{a.ids['drinks']}",
        {"visible": False},
    )
    assert r.status_code == 200, r.text
    assert [c["name"] for c in get_menu(client, a.branches["1"]).json()["categories"]] == ["Mains"]


# --- time windows -----------------------------------------------------------------------------


def test_an_item_outside_its_time_window_is_unavailable(client, menu):
    _, a, _ = menu
    now = datetime.now(ZoneInfo(TIMEZONE))
    owner, rid, mains = a.tokens["owner"], a.id, a.ids["mains"]
    closed = created(
        call(
            client,
            owner,
            "POST",
            f"/v1/restaurants/{rid}/items",
            {
                "category_id": mains,
                "name": "Breakfast Plate",
                "price": 1500,
                "available_from": hhmm(now - timedelta(hours=3)),
                "available_until": hhmm(now - timedelta(hours=1)),
            },
        )
    )
    open_ = created(
        call(
            client,
            owner,
            "POST",
            f"/v1/restaurants/{rid}/items",
            {
                "category_id": mains,
                "name": "Lunch Plate",
                "price": 1500,
                "available_from": hhmm(now - timedelta(hours=1)),
                "available_until": hhmm(now + timedelta(hours=1)),
            },
        )
    )
    assert closed["available_from"] == hhmm(now - timedelta(hours=3)) + ":00"
    items = items_by_name(get_menu(client, a.branches["1"]).json())
    assert items["Breakfast Plate"]["available"] is False  # closed: on the menu, not orderable
    assert items["Lunch Plate"]["available"] is True
    assert open_["id"] == items["Lunch Plate"]["id"]


# --- another tenant, permissions, bad input ---------------------------------------------------


def test_another_tenants_catalog_ids_are_not_found_and_nothing_changes(client, menu):
    w, a, b = menu
    intruder = b.tokens["owner"]
    before = snapshot(w.admin, a.id)
    for method, path, body in [
        ("GET", f"/v1/restaurants/{a.id}/categories", None),
        ("POST", f"/v1/restaurants/{a.id}/categories", {"name": "Stolen"}),
        ("PATCH", f"/v1/categories/{a.ids['mains']}", {"name": "Stolen"}),
        ("DELETE", f"/v1/categories/{a.ids['drinks']}", None),
        ("GET", f"/v1/restaurants/{a.id}/items", None),
        (
            "POST",
            f"/v1/restaurants/{a.id}/items",
            {"category_id": a.ids["mains"], "name": "X", "price": 1},
        ),
        ("GET", f"/v1/items/{a.ids['Hummus']}", None),
        ("PATCH", f"/v1/items/{a.ids['Hummus']}", {"price": 1}),
        ("DELETE", f"/v1/items/{a.ids['Hummus']}", None),
        ("POST", f"/v1/items/{a.ids['Hummus']}/restore", None),
        ("GET", f"/v1/restaurants/{a.id}/modifier-groups", None),
        (
            "POST",
            f"/v1/restaurants/{a.id}/modifier-groups",
            {"name": "X", "options": [{"name": "Y"}]},
        ),
        (
            "PUT",
            f"/v1/branches/{a.branches['1']}/items/{a.ids['Hummus']}/availability",
            {"available": False},
        ),
        (
            "PUT",
            f"/v1/branches/{b.branches['1']}/items/{a.ids['Hummus']}/availability",
            {"available": False},
        ),
    ]:
        assert_problem(call(client, intruder, method, path, body), 404, "not_found")
    assert snapshot(w.admin, a.id) == before

    # B's own item cannot be put into A's category or offer A's group: bad input (422).
    b_before = snapshot(w.admin, b.id)
    for body in (
        {"category_id": a.ids["mains"], "name": "X", "price": 1},
        {
            "category_id": b.ids["mains"],
            "name": "X",
            "price": 1,
            "modifier_group_ids": [a.ids["size"]],
        },
    ):
        r = call(client, intruder, "POST", f"/v1/restaurants/{b.id}/items", body)
        assert_problem(r, 422, "validation_failed")
    r = call(
        client, intruder, "PATCH", f"/v1/items/{b.ids['Hummus']}", {"category_id": a.ids["mains"]}
    )
    assert_problem(r, 422, "validation_failed")
    assert snapshot(w.admin, b.id) == b_before


def test_a_waiter_cannot_edit_the_menu(client, menu):
    w, a, _ = menu
    waiter = a.tokens["waiter"]
    before = snapshot(w.admin, a.id)
    for method, path, body in [
        (
            "POST",
            f"/v1/restaurants/{a.id}/items",
            {"category_id": a.ids["mains"], "name": "Waiter's special", "price": 100},
        ),
        ("PATCH", f"/v1/items/{a.ids['Hummus']}", {"price": 1}),
        ("DELETE", f"/v1/items/{a.ids['Hummus']}", None),
        ("POST", f"/v1/restaurants/{a.id}/categories", {"name": "Secret"}),
        ("PATCH", f"/v1/categories/{a.ids['mains']}", {"name": "Secret"}),
        (
            "POST",
            f"/v1/restaurants/{a.id}/modifier-groups",
            {"name": "X", "options": [{"name": "Y"}]},
        ),
    ]:
        assert_problem(call(client, waiter, method, path, body), 403, "forbidden")
    assert snapshot(w.admin, a.id) == before


def test_guests_without_a_token_only_read(client, menu):
    w, a, _ = menu
    before = snapshot(w.admin, a.id)
    r = call(client, None, "POST", f"/v1/restaurants/{a.id}/categories", {"name": "Anon"})
    assert_problem(r, 401, "unauthorized")
    r = call(client, None, "GET", f"/v1/restaurants/{a.id}/items")
    assert_problem(r, 401, "unauthorized")
    r = call(
        client,
        None,
        "PUT",
        f"/v1/branches/{a.branches['1']}/items/{a.ids['Hummus']}/availability",
        {"available": False},
    )
    assert_problem(r, 401, "unauthorized")
    assert snapshot(w.admin, a.id) == before


BAD_INPUT = [
    ("POST", "/v1/restaurants/{rid}/items", {"category_id": "{mains}", "name": "X", "price": -1}),
    (
        "POST",
        "/v1/restaurants/{rid}/items",
        {"category_id": "{mains}", "name": "X", "price": 1, "spicy": True},
    ),
    ("POST", "/v1/restaurants/{rid}/items", {"category_id": "{mains}", "name": "", "price": 1}),
    (
        "POST",
        "/v1/restaurants/{rid}/items",
        {
            "category_id": "{mains}",
            "name": "X",
            "price": 1,
            "modifier_group_ids": ["{size}", "{size}"],
        },
    ),
    (
        "POST",
        "/v1/restaurants/{rid}/items",
        {"category_id": "{mains}", "name": "X", "price": 1, "available_from": "07:00"},
    ),
    (
        "POST",
        "/v1/restaurants/{rid}/items",
        {
            "category_id": "{mains}",
            "name": "X",
            "price": 1,
            "available_from": "7",
            "available_until": "11:00",
        },
    ),
    (
        "POST",
        "/v1/restaurants/{rid}/items",
        {
            "category_id": "{mains}",
            "name": "X",
            "price": 1,
            "translations": {"arabic": {"name": "س"}},
        },
    ),
    (
        "POST",
        "/v1/restaurants/{rid}/items",
        {"category_id": "{mains}", "name": "X", "price": 1, "translations": {"ar": {"price": "1"}}},
    ),
    (
        "POST",
        "/v1/restaurants/{rid}/items",
        {"category_id": "{mains}", "name": "X", "price": 1, "image_url": "http://x.test/a.png"},
    ),
    ("POST", "/v1/restaurants/{rid}/items", {"category_id": "{nope}", "name": "X", "price": 1}),
    ("PATCH", "/v1/items/{hummus}", {"price": -5}),
    ("PATCH", "/v1/items/{hummus}", {"available_until": "11:00"}),
    ("PATCH", "/v1/items/{hummus}", {"name": None}),
    (
        "POST",
        "/v1/restaurants/{rid}/modifier-groups",
        {"name": "G", "min_select": 2, "max_select": 1, "options": [{"name": "A"}, {"name": "B"}]},
    ),
    ("POST", "/v1/restaurants/{rid}/modifier-groups", {"name": "G", "options": []}),
    (
        "POST",
        "/v1/restaurants/{rid}/modifier-groups",
        {"name": "G", "options": [{"name": "A", "extra": 1}]},
    ),
    ("POST", "/v1/restaurants/{rid}/categories", {"name": "C", "colour": "red"}),
    (
        "POST",
        "/v1/restaurants/{rid}/categories",
        {"name": "C", "translations": {"ar": {"description": "x"}}},
    ),
    ("PATCH", "/v1/categories/{mains}", {"position": -1}),
    ("GET", "/v1/restaurants/{rid}/items?limit=0", None),
    ("POST", "/v1/branches/{b1}/stations", {"name": "Bar", "category_ids": ["{nope}"]}),
]


def fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return value.format(**ids) if "{" in value else value
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body"), BAD_INPUT, ids=lambda v: str(v)[:70])
def test_bad_input_is_a_422_problem_and_nothing_is_written(client, menu, method, path, body):
    w, a, b = menu
    ids = {
        "rid": a.id,
        "b1": a.branches["1"],
        "mains": a.ids["mains"],
        "size": a.ids["size"],
        "hummus": a.ids["Hummus"],
        "nope": b.ids["mains"],  # another tenant's category: as unknown as one that never was
    }
    before = snapshot(w.admin, a.id)
    r = call(client, a.tokens["owner"], method, fill(path, ids), fill(body, ids))
    assert_problem(r, 422, "validation_failed")
    assert r.json()["detail"]
    assert snapshot(w.admin, a.id) == before


# --- stations route categories ----------------------------------------------------------------


def test_stations_get_the_categories_they_prepare(client, menu):
    _, a, _ = menu
    r = call(
        client,
        a.tokens["manager"],
        "POST",
        f"/v1/branches/{a.branches['1']}/stations",
        {"name": "Bar", "category_ids": [a.ids["drinks"]]},
    )
    station = created(r)
    assert station["category_ids"] == [a.ids["drinks"]]
    listed = call(
        client, a.tokens["kitchen"], "GET", f"/v1/branches/{a.branches['1']}/stations"
    ).json()
    routes = {s["name"]: s["category_ids"] for s in listed["items"]}
    assert routes == {"Kitchen": [], "Bar": [a.ids["drinks"]]}
