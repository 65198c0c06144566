"""`brigade demo load`: idempotent, and every login it prints works over HTTP; `brigade demo
order` orders at a demo table and the tickets reach the kitchen."""

from urllib.parse import urlsplit

from conftest import brigade_cli


def test_demo_loads_once_and_its_logins_work(admin_url, admin, client, base_url):
    first = brigade_cli(admin_url, "demo", "load")
    assert first.returncode == 0, first.stderr
    second = brigade_cli(admin_url, "demo", "load")
    assert second.returncode == 0, second.stderr
    counts = admin.execute(
        """
        select
            (select count(*) from app.restaurants where slug = 'demo'),
            (select count(*) from app.memberships m join app.restaurants r on r.id = m.restaurant_id
             where r.slug = 'demo'),
            (select count(*) from app.dining_tables t
             join app.restaurants r on r.id = t.restaurant_id
             where r.slug = 'demo')
        """
    ).fetchone()
    assert counts == (1, 3, 2)

    owner = client.post(
        "/v1/auth/login",
        json={"email": "owner@demo.brigade.test", "password": "demo-owner-pass"},
    )
    assert owner.status_code == 200, owner.text
    assert owner.json()["memberships"][0]["role"] == "owner"

    code = second.stdout.split("device activation code (single use, 24 h): ")[1].split()[0]
    device = client.post("/v1/devices/activate", json={"activation_code": code, "name": "Pass"})
    assert device.status_code == 201, device.text
    pin = client.post(
        "/v1/auth/pin", json={"device_token": device.json()["device_token"], "pin": "1111"}
    )
    assert pin.status_code == 200, pin.text
    assert pin.json()["staff"]["role"] == "kitchen"

    table = client.post("/v1/tables/demo-table-1/session", json={})
    assert table.status_code == 201, table.text  # the first guest opens the table's session
    assert table.json()["table"]["label"] == "T1"

    # What `make run` prints: the kitchen screen, and a command that orders at table T1.
    assert "/kds" in second.stdout
    assert "brigade demo order" in second.stdout
    port = str(urlsplit(base_url).port)
    ordered = brigade_cli(admin_url, "demo", "order", BRIGADE_PORT=port)
    assert ordered.returncode == 0, ordered.stderr
    assert "(accepted)" in ordered.stdout, ordered.stdout  # the demo branch auto-accepts
    number = int(ordered.stdout.split()[1])
    kitchen = {"Authorization": f"Bearer {pin.json()['access_token']}"}
    tickets = client.get(f"/v1/branches/{pin.json()['branch_id']}/tickets", headers=kitchen)
    assert tickets.status_code == 200, tickets.text
    assert number in {t["order_number"] for t in tickets.json()["items"]}
    assert client.get("/kds").status_code == 200
