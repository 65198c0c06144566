"""`brigade demo order`: a guest's order at a demo table, over the public HTTP API."""

from __future__ import annotations

import random
import uuid
from typing import Any

import httpx


def place_demo_order(base_url: str, qr_token: str) -> dict[str, Any]:
    """Scan the table's QR code, read the menu, order two available dishes."""
    with httpx.Client(base_url=base_url, timeout=10, trust_env=False) as client:
        session = client.post(f"/v1/tables/{qr_token}/session", json={})
        session.raise_for_status()
        guest = session.json()
        menu = client.get(f"/v1/branches/{guest['branch_id']}/menu")
        menu.raise_for_status()
        # Dishes that need no choice of options, so the order is valid as it stands.
        dishes = [
            item["id"]
            for category in menu.json()["categories"]
            for item in category["items"]
            if item["available"] and all(g["min_select"] == 0 for g in item["modifier_groups"])
        ]
        picked = random.sample(dishes, 2)  # a demo: any two will do
        lines = [{"item_id": i, "quantity": n} for n, i in enumerate(picked, 1)]
        order = client.post(
            f"/v1/sessions/{guest['session_id']}/orders",
            json={"items": lines},
            headers={
                "Authorization": f"Bearer {guest['access_token']}",
                "Idempotency-Key": str(uuid.uuid4()),
            },
        )
        if order.status_code != 201:
            raise SystemExit(f"the order was refused: {order.status_code} {order.text}")
        return order.json()
