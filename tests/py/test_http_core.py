"""The HTTP core: clean pooled connections, problem+json for every error, 503 when the
database is gone and recovery when it returns, request ids, metrics, OpenAPI."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, brigade_cli, free_port, running_server
from world import PROBLEM, assert_problem

TENANT_A = "0190f3a0-0000-7000-8000-00000000000a"


def test_a_single_pooled_connection_never_carries_claims_to_the_next_request(admin_url, member):
    token = member["token"]
    with running_server(admin_url, BRIGADE_POOL_MIN_SIZE="1", BRIGADE_POOL_MAX_SIZE="1") as base:
        with httpx.Client(base_url=base) as c:
            as_tenant = c.get("/v1/whoami", headers={"Authorization": f"Bearer {token}"})
            assert as_tenant.json()["restaurant_id"] == member["restaurant_id"]
            assert as_tenant.json()["db_role"] == "staff"
            # An error inside the transaction must not leave the role behind either.
            failed = c.get(
                f"/v1/restaurants/{TENANT_A}", headers={"Authorization": f"Bearer {token}"}
            )
            assert failed.status_code == 404
            anonymous = c.get("/v1/whoami")
            assert anonymous.json()["restaurant_id"] is None
            assert anonymous.json()["db_role"] == "anon"
            metrics = c.get("/metrics").text
            assert "brigade_pool_max_size 1.0" in metrics


def test_bad_json_is_a_400_problem(client):
    r = client.post(
        "/v1/auth/login", content=b'{"email": ', headers={"content-type": "application/json"}
    )
    assert_problem(r, 400, "bad_request")


def test_wrong_types_are_a_422_problem(client):
    r = client.post("/v1/auth/login", json={"email": 5, "password": ["x"]})
    assert_problem(r, 422, "validation_failed")
    assert r.json()["errors"]


def test_unknown_fields_are_a_422_problem(client):
    r = client.post("/v1/auth/login", json={"email": "a@b.co", "password": "x", "role": "owner"})
    assert_problem(r, 422, "validation_failed")


def test_a_huge_body_is_refused_with_413(client):
    r = client.post("/v1/auth/login", content=b"x" * (2 * 1024 * 1024))
    assert_problem(r, 413, "payload_too_large")


def test_unknown_routes_and_methods_are_problems(client):
    assert_problem(client.get("/v1/nowhere"), 404, "not_found")
    assert_problem(client.delete("/healthz"), 405, "method_not_allowed")


def test_a_malformed_id_in_the_path_is_a_problem_not_a_500(client, mint):
    token = mint(sub=TENANT_A, role="staff", app_role="owner", restaurant_id=TENANT_A)
    r = client.get("/v1/restaurants/not-a-uuid", headers={"Authorization": f"Bearer {token}"})
    assert 400 <= r.status_code < 500
    assert r.headers["content-type"].startswith(PROBLEM)


def test_request_ids_are_generated_or_kept(client):
    generated = client.get("/healthz").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == (
        "abc-123"
    )
    forged = client.get("/healthz", headers={"X-Request-ID": "<script>"}).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def test_metrics_count_requests_by_route_template(client):
    client.get("/healthz")
    text = client.get("/metrics").text
    assert re.search(r'brigade_requests_total\{[^}]*path="/healthz"[^}]*\} [1-9]', text), text[
        :2000
    ]
    assert "brigade_pool_in_use" in text
    assert "brigade_pool_waiting" in text


def api_md_routes(sections: tuple[str, ...]) -> set[tuple[str, str]]:
    """(method, path with parameters blanked) for the API.md table rows of `sections`."""
    text = (ROOT.parent / "shared" / "API.md").read_text()
    routes = set()
    for block in re.split(r"^## ", text, flags=re.M)[1:]:
        if not block.startswith(sections):
            continue
        for line in block.splitlines():
            m = re.match(r"\|\s*([A-Z, ]+?)\s*\|\s*`([^`]+)`", line)
            if m:
                path = re.sub(r"\{[^}]+\}", "{}", m.group(2).split("?")[0])
                for method in m.group(1).split(","):
                    routes.add((method.strip().lower(), path))
    return routes


def test_openapi_serves_every_contract_route_built_so_far(client):
    spec = client.get("/schema/openapi.json").json()
    served = {
        (method, re.sub(r"\{[^}]+\}", "{}", path))
        for path, item in spec["paths"].items()
        for method in item
    }
    expected = api_md_routes(("Health", "Auth", "Platform", "Restaurant", "Orders", "Kitchen"))
    expected.discard(("get", "/metrics"))  # plain text for Prometheus, not an API operation
    expected.discard(("get", "/kds"))  # the kitchen screen's HTML page, not an API operation
    assert client.get("/kds").headers["content-type"].startswith("text/html")
    assert len(expected) > 20
    assert expected - served == set()
    for item in spec["paths"].values():
        for op in item.values():
            assert op.get("operationId"), op


@pytest.fixture
def own_cluster():
    """A second, private PostgreSQL that this test may stop and start."""
    # Under the repo's .brigade/, which the postgres user can reach (pytest's tmp may not be).
    home = Path(tempfile.mkdtemp(prefix="own-cluster-", dir=ROOT / ".brigade"))
    home.chmod(0o755)
    state = home / "pg"
    port = free_port()
    lib = f". {ROOT}/scripts/lib.sh"
    subprocess.run(
        ["bash", "-c", f'{lib}; cluster_init "{state}" {port} && cluster_start "{state}"'],
        check=True,
        capture_output=True,
    )
    url = f"postgresql://postgres@127.0.0.1:{port}/brigade"
    for args in (("db", "bootstrap"), ("db", "migrate")):
        done = brigade_cli(url, *args)
        assert done.returncode == 0, done.stderr

    def control(action: str) -> None:
        subprocess.run(
            ["bash", "-c", f'{lib}; cluster_{action} "{state}"'], check=True, capture_output=True
        )

    yield url, control
    control("stop")
    shutil.rmtree(home, ignore_errors=True)


def test_a_stopped_database_gives_503_and_the_api_recovers(own_cluster):
    url, control = own_cluster
    with running_server(url, BRIGADE_POOL_TIMEOUT="1", BRIGADE_CONNECT_TIMEOUT="1") as base:
        with httpx.Client(base_url=base, timeout=10) as c:
            assert c.get("/readyz").status_code == 200
            assert c.get("/v1/whoami").status_code == 200
            control("stop")
            started = time.monotonic()
            down = c.get("/v1/whoami")
            assert time.monotonic() - started < 5, "a dead database must not hang requests"
            assert_problem(down, 503, "database_unavailable")
            assert down.headers["retry-after"]
            assert c.get("/readyz").status_code == 503
            assert c.get("/healthz").status_code == 200
            control("start")
            deadline = time.monotonic() + 30
            while c.get("/v1/whoami").status_code != 200:
                assert time.monotonic() < deadline, "the API did not recover"
                time.sleep(0.2)
            assert c.get("/readyz").status_code == 200
