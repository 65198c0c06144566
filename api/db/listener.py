"""The process's one LISTEN connection (ARCHITECTURE §6): wake-ups from the database.

Notifications carry ids only. Each subscriber registers a channel callback; on every
(re)connect `on_reset` callbacks run, because wake-ups sent while we were away are lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import psycopg
from psycopg import sql

log = logging.getLogger("brigade.listener")


class Listener:
    def __init__(self, conninfo: str, connect_timeout: int = 3) -> None:
        self.conninfo = conninfo
        self.connect_timeout = connect_timeout
        self.connected = False
        self._channels: dict[str, list[Callable[[str], None]]] = {}
        self._resets: list[Callable[[], None]] = []
        self._task: asyncio.Task[None] | None = None

    def subscribe(self, channel: str, callback: Callable[[str], None]) -> None:
        self._channels.setdefault(channel, []).append(callback)

    def on_reset(self, callback: Callable[[], None]) -> None:
        self._resets.append(callback)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="brigade-listener")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def _reset(self) -> None:
        self.connected = False
        for callback in self._resets:
            callback()

    async def _run(self) -> None:
        delay = 0.2
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self.conninfo,
                    autocommit=True,
                    application_name="brigade-listener",
                    connect_timeout=self.connect_timeout,
                ) as conn:
                    for channel in self._channels:
                        await conn.execute(sql.SQL("listen {}").format(sql.Identifier(channel)))
                    self._reset()  # whatever was cached before this connection may be stale
                    self.connected = True
                    delay = 0.2
                    async for note in conn.notifies():
                        for callback in self._channels.get(note.channel, ()):
                            callback(note.payload)
            except asyncio.CancelledError:
                self._reset()
                raise
            except psycopg.Error as exc:
                log.warning("listener connection lost: %s", exc)
            self._reset()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
