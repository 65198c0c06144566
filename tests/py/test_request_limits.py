"""Every API call of a restaurant draws from a bucket sized by its plan (429 beyond it)."""

import secrets

import pytest


@pytest.fixture
def trial_restaurant(admin):
    slug = f"trial-{secrets.token_hex(4)}"
    rid = admin.execute(
        "insert into app.restaurants (name, slug, currency, timezone, plan)"
        " values ('Trial', %s, 'USD', 'UTC', 'trial') returning id",
        [slug],
    ).fetchone()[0]
    uid = admin.execute(
        "insert into app.users (name) values ('Trial owner') returning id"
    ).fetchone()[0]
    admin.execute(
        "insert into app.memberships (restaurant_id, user_id, role) values (%s, %s, 'owner')",
        [rid, uid],
    )
    admin.execute("update app_private.rate_limits set capacity = 3 where name = 'api_trial'")
    try:
        yield str(rid), str(uid)
    finally:
        admin.execute("update app_private.rate_limits set capacity = 600 where name = 'api_trial'")
        admin.execute("delete from app_private.rate_buckets where key = %s", [f"api_trial:{rid}"])


def test_a_restaurant_over_its_plan_rate_gets_429_with_retry_after(
    client, mint, member, trial_restaurant
):
    rid, uid = trial_restaurant
    token = mint(sub=uid, role="staff", app_role="owner", restaurant_id=rid)
    other = member["token"]
    headers = {"Authorization": f"Bearer {token}"}
    statuses = [client.get("/v1/whoami", headers=headers).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = client.get("/v1/whoami", headers=headers)
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    # Another tenant is not affected by this one's bucket.
    assert client.get("/v1/whoami", headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_request_roles_cannot_drain_a_bucket_themselves(admin, trial_restaurant):
    with admin.transaction():
        admin.execute("set local role staff")
        with pytest.raises(Exception, match="permission denied"):
            admin.execute("select auth.take_request_token(%s)", [trial_restaurant[0]])
