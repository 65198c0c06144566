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


def test_token_claims_reach_the_database(client, mint):
    rid = "0190f3a0-0000-7000-8000-000000000001"
    token = mint(
        sub="0190f3a0-0000-7000-8000-0000000000aa",
        role="staff",
        app_role="owner",
        restaurant_id=rid,
    )
    r = client.get("/v1/whoami", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    assert r.json()["db_role"] == "staff"
    assert r.json()["restaurant_id"] == rid
