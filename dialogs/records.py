"""What the engine reads about a user besides the session: checklist ticks, pending
reminders and recent requests for a consultant. The adapter loads them before a turn that needs
them (``ChatEngine.wants_records``); what the turn changes comes back as events
(``checklist_ticked``, ``reminder_cancelled``, ``user_forgotten``, ``handoff_requested``) for the
adapter to store, so the engine stays pure and synchronous.

Telegram implements the protocol over SQLite (``bot.telegram.service``); the console and the
JSON-lines chat use :class:`MemoryRecords`::

    records = MemoryRecords()
    reply = engine.handle(session, UserInput(press="ck"), records)
    records.apply(reply.events)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# Pending reminders a user may have (each deadline takes up to two: 7 days and 1 day before);
# the adapter's storage enforces it too, the engine says so before promising one.
MAX_REMINDERS = 20


@dataclass(frozen=True)
class PendingReminder:
    """One reminder the adapter will send (``/reminders`` lists them)."""

    id: int
    calculator: str
    title: str  # as stored with the reminder: shown if the calculator no longer exists
    due: dt.date  # the deadline
    at: dt.datetime  # when the reminder goes out (aware)


class UserRecords(Protocol):
    def ticks(self, route: str) -> Mapping[str, bool]:
        """Document id -> ready, for the documents the user has marked on this route."""
        ...

    def reminders(self) -> Sequence[PendingReminder]:
        """The user's pending reminders, soonest first."""
        ...

    def handoffs_today(self) -> int:
        """Requests for a consultant the user sent in the last 24 hours."""
        ...

    def reminder_times(self, due: dt.date) -> Sequence[dt.datetime]:
        """When the reminders of a deadline on `due` would go out (aware), soonest first; empty
        when the adapter cannot say (the confirmation then says only "before the deadline")."""
        ...


class NoRecords:
    """A user with nothing stored besides the session."""

    def ticks(self, route: str) -> Mapping[str, bool]:
        return {}

    def reminders(self) -> Sequence[PendingReminder]:
        return ()

    def handoffs_today(self) -> int:
        return 0

    def reminder_times(self, due: dt.date) -> Sequence[dt.datetime]:
        return ()


class MemoryRecords:
    """Records kept in memory for one chat (console, JSON lines, tests)."""

    def __init__(self) -> None:
        self._ticks: dict[str, dict[str, bool]] = {}
        self._handoffs: list[dt.datetime] = []

    def ticks(self, route: str) -> Mapping[str, bool]:
        return dict(self._ticks.get(route, {}))

    def reminders(self) -> Sequence[PendingReminder]:
        return ()  # this chat cannot send reminders, so none are ever stored

    def handoffs_today(self) -> int:
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
        return sum(at >= since for at in self._handoffs)

    def reminder_times(self, due: dt.date) -> Sequence[dt.datetime]:
        return ()

    def apply(self, events: Iterable[Any]) -> None:
        """Store what a turn changed (its ``reply.events``)."""
        for event in events:
            if event.kind == "checklist_ticked":
                data = event.data
                self._ticks.setdefault(data["route"], {})[data["document"]] = data["done"]
            elif event.kind == "handoff_requested":
                self._handoffs.append(dt.datetime.now(dt.UTC))
            elif event.kind == "user_forgotten":
                self._ticks.clear()
                self._handoffs.clear()
