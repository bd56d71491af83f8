"""The inbox: updates received from Telegram, stored before they are confirmed, so that a process
killed with updates in flight answers them after its restart (``bot.telegram.inbox``: long
polling and the webhook alike).

An update is *pending* from its arrival until it has been handled: a user's turn marks it in its
own transaction (what the turn changed and "handled" are committed together, so a restart never
applies a turn twice), anything else right after its handler. A handled row loses its payload
and user id at once (it may hold a user's text); its id alone is kept for ``KEEP_HANDLED`` (the
day Telegram keeps an update it could not deliver), so that an update delivered again (a webhook
call whose "200 OK" was lost in a kill) is known and not handled twice; after that only the
newest handled row is kept, for the offset of the next ``getUpdates``: an update fetched again
with an id at or below it was stored before, and is skipped. An update that was replayed
``MAX_ATTEMPTS`` times without being handled (it crashed the process each time) is given up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.storage._base import Repository, dumps, loads

MAX_ATTEMPTS = 3
KEEP_HANDLED = timedelta(days=1)


@dataclass(frozen=True)
class InboxItem:
    update_id: int
    user_id: int | None
    payload: Any  # the update as Telegram sent it (JSON)
    attempts: int


class InboxRepository(Repository):
    async def add(self, items: Iterable[tuple[int, int | None, Any]]) -> None:
        """Store fetched updates ``(update_id, user_id, payload)``; an update already stored
        (fetched again after a restart) is kept as it is."""
        now = self._ts(None)
        await self._sql.many(
            "INSERT OR IGNORE INTO inbox (update_id, user_id, payload, received_at) "
            "VALUES (?, ?, ?, ?)",
            [(update_id, user_id, dumps(payload), now) for update_id, user_id, payload in items],
        )

    async def receive(self, update_id: int, user_id: int | None, payload: Any) -> bool:
        """Store one update delivered to the webhook; False when it was stored before (Telegram
        delivers an update again when it did not get the "200 OK": it is not to be handled
        twice)."""
        changed = await self._sql.run(
            "INSERT OR IGNORE INTO inbox (update_id, user_id, payload, received_at) "
            "VALUES (?, ?, ?, ?)",
            (update_id, user_id, dumps(payload), self._ts(None)))
        return changed > 0

    async def handled(self, update_id: int) -> None:
        """Mark the update handled: its payload goes; older handled rows go once they are
        ``KEEP_HANDLED`` old."""
        await self._sql.write(
            "UPDATE inbox SET handled = 1, payload = '', user_id = NULL WHERE update_id = ?",
            (update_id,))
        await self._sql.write(
            "DELETE FROM inbox WHERE handled = 1 AND update_id < ? AND received_at < ?",
            (update_id, self._ts(self._clock() - KEEP_HANDLED)))

    async def pending(self) -> list[InboxItem]:
        """Updates fetched but not handled, oldest first, each counted as one more attempt;
        those past ``MAX_ATTEMPTS`` are marked handled instead (and not returned)."""
        await self._sql.write(
            "UPDATE inbox SET handled = 1, payload = '', user_id = NULL "
            "WHERE handled = 0 AND attempts >= ?",
            (MAX_ATTEMPTS,))
        rows = await self._sql.all(
            "SELECT update_id, user_id, payload, attempts FROM inbox WHERE handled = 0 "
            "ORDER BY update_id")
        await self._sql.write("UPDATE inbox SET attempts = attempts + 1 WHERE handled = 0")
        return [InboxItem(row[0], row[1], loads(row[2]), row[3] + 1) for row in rows]

    async def last_id(self) -> int | None:
        """The newest update id stored (handled or not): the next fetch starts after it."""
        return await self._sql.scalar("SELECT max(update_id) FROM inbox")
