"""What the engine reads about a user besides the session: checklist ticks (and, through the
same protocol, anything else a screen needs). The adapter loads it before a turn; what the turn
changes comes back as events (``checklist_ticked``, ``user_forgotten``) for the adapter to store,
so the engine stays pure and synchronous.

Telegram implements the protocol over SQLite (``bot.telegram.service``); the console and the
JSON-lines chat use :class:`MemoryRecords`::

    records = MemoryRecords()
    reply = engine.handle(session, UserInput(press="ck"), records)
    records.apply(reply.events)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol


class UserRecords(Protocol):
    def ticks(self, route: str) -> Mapping[str, bool]:
        """Document id -> ready, for the documents the user has marked on this route."""
        ...


class NoRecords:
    """A user with nothing stored besides the session."""

    def ticks(self, route: str) -> Mapping[str, bool]:
        return {}


class MemoryRecords:
    """Records kept in memory for one chat (console, JSON lines, tests)."""

    def __init__(self) -> None:
        self._ticks: dict[str, dict[str, bool]] = {}

    def ticks(self, route: str) -> Mapping[str, bool]:
        return dict(self._ticks.get(route, {}))

    def apply(self, events: Iterable[Any]) -> None:
        """Store what a turn changed (its ``reply.events``)."""
        for event in events:
            if event.kind == "checklist_ticked":
                data = event.data
                self._ticks.setdefault(data["route"], {})[data["document"]] = data["done"]
            elif event.kind == "user_forgotten":
                self._ticks.clear()
