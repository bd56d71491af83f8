"""The stored sessions of the users seen lately, kept in memory so that an update of a user who
is in the middle of an interview need not load what the previous update just wrote.

Only the bot process writes sessions and languages, and only through ``BotService``: after each
turn commits, the service records here exactly what it stored (the session as the JSON text that
went to disk, and the language), and ``/forget`` drops the user. So an entry is always what the
database holds. Anything unusual (a failed turn, a deleted user) drops the entry and the next
update loads from the database as before. One bot process per database file, as always.

Entries are JSON text, not live ``Session`` objects: the engine changes a session in place, and
an update that fails half-way must not leave its changes behind here.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

# About 1 KB each: 10,000 users in the middle of a conversation cost some 12 MB.
DEFAULT_SIZE = 10_000


@dataclass(frozen=True)
class Stored:
    language: str
    state_json: str


class RecentSessions:
    """Least-recently-used map of user id to what the database holds for them."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[int, Stored] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, user_id: int) -> Stored | None:
        entry = self._entries.get(user_id)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(user_id)
        self.hits += 1
        return entry

    def put(self, user_id: int, language: str, state_json: str) -> None:
        self._entries[user_id] = Stored(language, state_json)
        self._entries.move_to_end(user_id)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def drop(self, user_id: int) -> None:
        self._entries.pop(user_id, None)

    def __len__(self) -> int:
        return len(self._entries)
