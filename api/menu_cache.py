"""Menus kept in the API process, dropped by the database's `menu` wake-ups.

Used only while the listener is connected: without it a change could go unnoticed. The
generation counter stops a document read before a change from being stored after it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from api.db.listener import Listener


@dataclass(frozen=True, slots=True)
class Menu:
    etag: str
    body: bytes
    restaurant_id: str
    expires: float | None  # epoch seconds when a time window opens or closes


class MenuCache:
    def __init__(self, listener: Listener, max_entries: int = 10_000) -> None:
        self.listener = listener
        self.max_entries = max_entries
        self.generation = 0
        self._menus: dict[tuple[str, str], Menu] = {}
        # Every write request of a restaurant drops its menus (api/db/pool.py open_db): an
        # index by restaurant keeps that to its own entries, not a scan of the whole cache.
        self._keys: dict[str, set[tuple[str, str]]] = {}
        listener.subscribe("menu", self.drop_restaurant)
        listener.on_reset(self.clear)

    def get(self, branch_id: str, lang: str) -> Menu | None:
        if not self.listener.connected:
            return None
        menu = self._menus.get((branch_id, lang))
        if menu is None or (menu.expires is not None and menu.expires <= time.time()):
            return None
        return menu

    def put(self, generation: int, branch_id: str, lang: str, menu: Menu) -> None:
        """Store `menu` unless a wake-up arrived since `generation` was read."""
        if generation != self.generation or not self.listener.connected:
            return
        if len(self._menus) >= self.max_entries:
            self._menus.clear()
            self._keys.clear()
        self._menus[(branch_id, lang)] = menu
        self._keys.setdefault(menu.restaurant_id, set()).add((branch_id, lang))

    def drop_restaurant(self, restaurant_id: str) -> None:
        self.generation += 1
        for key in self._keys.pop(restaurant_id, ()):
            self._menus.pop(key, None)

    def clear(self) -> None:
        self.generation += 1
        self._menus.clear()
        self._keys.clear()
