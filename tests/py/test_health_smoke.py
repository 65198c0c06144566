def test_healthz_answers_ok(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database(client):
    r = client.get("/readyz")
    assert r.status_code == 200, r.text


def test_anonymous_whoami_runs_as_anon(client):
    r = client.get("/v1/whoami")
    assert r.status_code == 200
    body = r.json()
    assert body["db_role"] == "anon"
    assert body["restaurant_id"] is None


def test_token_claims_reach_the_database(client, member):
    r = client.get("/v1/whoami", headers={"Authorization": f"Bearer {member['token']}"})
    assert r.status_code == 200, r.text
    assert r.json()["db_role"] == "staff"
    assert r.json()["restaurant_id"] == member["restaurant_id"]


def test_a_removed_or_demoted_member_loses_access_at_once(client, admin, member):
    headers = {"Authorization": f"Bearer {member['token']}"}
    assert client.get("/v1/whoami", headers=headers).status_code == 200
    admin.execute(
        "update app.memberships set role = 'waiter' where user_id = %s", [member["user_id"]]
    )
    demoted = client.get("/v1/whoami", headers=headers)
    assert demoted.status_code == 401
    assert demoted.json()["code"] == "membership_changed"
    admin.execute(
        "update app.memberships set role = 'owner', deleted_at = now() where user_id = %s",
        [member["user_id"]],
    )
    assert client.get("/v1/whoami", headers=headers).status_code == 401
