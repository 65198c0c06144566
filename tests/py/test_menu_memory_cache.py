"""Menus served from the API process's memory, dropped by the database's `menu` wake-ups."""

import secrets
import time

import pytest


@pytest.fixture
def branch(admin):
    rid = admin.execute(
        "insert into app.restaurants (name, slug, currency, timezone)"
        " values ('Memo', %s, 'EUR', 'Europe/Paris') returning id",
        [f"memo-{secrets.token_hex(4)}"],
    ).fetchone()[0]
    bid = admin.execute(
        "insert into app.branches (restaurant_id, name) values (%s, 'Main') returning id", [rid]
    ).fetchone()[0]
    cid = admin.execute(
        "insert into app.categories (restaurant_id, name) values (%s, 'Mains') returning id", [rid]
    ).fetchone()[0]
    admin.execute(
        "insert into app.items (restaurant_id, category_id, name, price)"
        " values (%s, %s, 'Soup', 900)",
        [rid, cid],
    )
    return str(rid), str(bid)


def get_until(client, url, predicate, seconds=3.0):
    deadline = time.monotonic() + seconds
    while True:
        r = client.get(url)
        if predicate(r) or time.monotonic() > deadline:
            return r
        time.sleep(0.05)


def test_second_read_is_served_from_memory_and_a_change_drops_it(client, admin, branch):
    rid, bid = branch
    url = f"/v1/branches/{bid}/menu"
    first = client.get(url)
    assert first.headers["x-cache"] == "miss"
    second = client.get(url)
    assert second.headers["x-cache"] == "hit"
    assert second.content == first.content
    assert client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304

    admin.execute("update app.items set price = 950 where restaurant_id = %s", [rid])
    changed = get_until(client, url, lambda r: r.headers["etag"] != first.headers["etag"])
    assert changed.headers["etag"] != first.headers["etag"], "the change never reached the API"
    assert changed.json()["categories"][0]["items"][0]["price"] == 950
    assert client.get(url).headers["x-cache"] == "hit"


def test_without_its_listener_the_api_serves_from_the_database(client, admin, branch):
    rid, bid = branch
    url = f"/v1/branches/{bid}/menu"
    client.get(url)
    assert client.get(url).headers["x-cache"] == "hit"
    killed = admin.execute(
        "select count(pg_terminate_backend(pid)) from pg_stat_activity"
        " where application_name = 'brigade-listener'"
    ).fetchone()[0]
    assert killed >= 1
    # A change made while nobody listens must still be served once the listener is back.
    admin.execute("update app.items set name = 'Velouté' where restaurant_id = %s", [rid])
    renamed = get_until(
        client, url, lambda r: r.json()["categories"][0]["items"][0]["name"] == "Velouté"
    )
    assert renamed.json()["categories"][0]["items"][0]["name"] == "Velouté"
    back = get_until(client, url, lambda r: r.headers["x-cache"] == "hit", seconds=10)
    assert back.headers["x-cache"] == "hit", "the listener did not reconnect"
