"""Soft delete and restore of categories and modifier groups, seen through the public menu."""

import uuid

import pytest


@pytest.fixture
def owner(admin, member):
    bid = admin.execute(
        "insert into app.branches (restaurant_id, name) values (%s, 'Main') returning id",
        [member["restaurant_id"]],
    ).fetchone()[0]
    return {**member, "branch_id": str(bid), "auth": {"Authorization": f"Bearer {member['token']}"}}


def menu(client, bid):
    return client.get(f"/v1/branches/{bid}/menu").json()


def test_categories_and_modifier_groups_come_back_after_a_soft_delete(client, owner):
    rid, h = owner["restaurant_id"], owner["auth"]
    mains = client.post(f"/v1/restaurants/{rid}/categories", json={"name": "Mains"}, headers=h)
    desserts = client.post(
        f"/v1/restaurants/{rid}/categories", json={"name": "Desserts"}, headers=h
    )
    assert mains.status_code == desserts.status_code == 201, mains.text
    group = client.post(
        f"/v1/restaurants/{rid}/modifier-groups",
        json={
            "name": "Size",
            "min_select": 1,
            "max_select": 1,
            "options": [{"name": "Small", "price_delta": 0}, {"name": "Big", "price_delta": 300}],
        },
        headers=h,
    )
    assert group.status_code == 201, group.text
    item = client.post(
        f"/v1/restaurants/{rid}/items",
        json={
            "category_id": mains.json()["id"],
            "name": "Stew",
            "price": 1500,
            "modifier_group_ids": [group.json()["id"]],
        },
        headers=h,
    )
    assert item.status_code == 201, item.text

    def names(doc):
        return [c["name"] for c in doc["categories"]]

    def groups_of_stew(doc):
        stew = next(i for c in doc["categories"] for i in c["items"] if i["name"] == "Stew")
        return [g["name"] for g in stew["modifier_groups"]]

    before = menu(client, owner["branch_id"])
    assert names(before) == ["Mains", "Desserts"]
    assert groups_of_stew(before) == ["Size"]

    assert client.delete(f"/v1/categories/{desserts.json()['id']}", headers=h).status_code == 204
    assert client.delete(f"/v1/modifier-groups/{group.json()['id']}", headers=h).status_code == 204
    gone = menu(client, owner["branch_id"])
    assert names(gone) == ["Mains"]
    assert groups_of_stew(gone) == []

    back = client.post(f"/v1/categories/{desserts.json()['id']}/restore", headers=h)
    assert back.status_code == 200, back.text
    assert back.json()["name"] == "Desserts"
    again = client.post(f"/v1/modifier-groups/{group.json()['id']}/restore", headers=h)
    assert again.status_code == 200, again.text
    restored = menu(client, owner["branch_id"])
    assert names(restored) == ["Mains", "Desserts"]
    assert groups_of_stew(restored) == ["Size"]


def test_another_tenant_or_a_waiter_cannot_delete_or_restore(client, admin, mint, owner):
    rid, h = owner["restaurant_id"], owner["auth"]
    cat = client.post(f"/v1/restaurants/{rid}/categories", json={"name": "Sides"}, headers=h)
    group = client.post(
        f"/v1/restaurants/{rid}/modifier-groups",
        json={
            "name": "Sauce",
            "min_select": 0,
            "max_select": 2,
            "options": [{"name": "Garlic", "price_delta": 50}],
        },
        headers=h,
    )
    assert cat.status_code == group.status_code == 201, group.text
    client.delete(f"/v1/categories/{cat.json()['id']}", headers=h)

    stranger_rid = admin.execute(
        "insert into app.restaurants (name, slug, currency, timezone)"
        " values ('Other', %s, 'USD', 'UTC') returning id",
        [f"other-{uuid.uuid4().hex[:10]}"],
    ).fetchone()[0]
    stranger_uid = admin.execute(
        "insert into app.users (name) values ('O') returning id"
    ).fetchone()[0]
    waiter_uid = admin.execute("insert into app.users (name) values ('W') returning id").fetchone()[
        0
    ]
    admin.execute(
        "insert into app.memberships (restaurant_id, user_id, role) values (%s, %s, 'owner'),"
        " (%s, %s, 'waiter')",
        [stranger_rid, stranger_uid, rid, waiter_uid],
    )
    stranger = {
        "Authorization": "Bearer "
        + mint(
            sub=str(stranger_uid), role="staff", app_role="owner", restaurant_id=str(stranger_rid)
        )
    }
    waiter = {
        "Authorization": "Bearer "
        + mint(sub=str(waiter_uid), role="staff", app_role="waiter", restaurant_id=rid)
    }

    for headers, status in ((stranger, 404), (waiter, 403)):
        r = client.post(f"/v1/categories/{cat.json()['id']}/restore", headers=headers)
        assert r.status_code == status, r.text
        r = client.delete(f"/v1/modifier-groups/{group.json()['id']}", headers=headers)
        assert r.status_code == status, r.text
    deleted_at = admin.execute(
        "select (select deleted_at from app.categories where id = %s),"
        " (select deleted_at from app.modifier_groups where id = %s)",
        [cat.json()["id"], group.json()["id"]],
    ).fetchone()
    assert deleted_at[0] is not None, "a refused restore changed nothing"
    assert deleted_at[1] is None, "a refused delete changed nothing"
