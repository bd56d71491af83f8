"""The outbox: a turn's reply, stored with what the turn changed, until it has been sent.

A turn commits what it changed, then sends its reply; a process killed in between kept the
change and lost the reply (the user's next message then found the interview a step further, with
no question shown). The reply, rendered, is written in the turn's own transaction and deleted
once it has been sent (whatever the outcome: a reply Telegram refused is not retried here); what
a killed process left is sent at the next start (``bot.telegram.inbox``), as new messages, when it
is at most ``MAX_AGE`` old. A row lives from the commit to the end of the send, normally well
under a second; ``/forget`` deletes the user's rows like every other table's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.storage._base import Repository, dumps, loads

MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class OutboxItem:
    update_id: int
    chat_id: int
    payload: Any  # the rendered messages (``bot.telegram.delivery.stored``)


class OutboxRepository(Repository):
    async def add(self, update_id: int, user_id: int, chat_id: int, payload: Any) -> None:
        """Keep the reply of the update's turn until :meth:`sent`."""
        await self._sql.write(
            "INSERT OR REPLACE INTO outbox (update_id, user_id, chat_id, payload, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (update_id, user_id, chat_id, dumps(payload), self._ts(None)))

    async def sent(self, update_id: int) -> None:
        await self._sql.write("DELETE FROM outbox WHERE update_id = ?", (update_id,))

    async def pending(self) -> list[OutboxItem]:
        """Replies not sent, oldest first; those older than ``MAX_AGE`` are deleted instead."""
        await self._sql.write("DELETE FROM outbox WHERE created_at < ?",
                              (self._ts(self._clock() - MAX_AGE),))
        rows = await self._sql.all(
            "SELECT update_id, chat_id, payload FROM outbox ORDER BY update_id")
        return [OutboxItem(row[0], row[1], loads(row[2])) for row in rows]
