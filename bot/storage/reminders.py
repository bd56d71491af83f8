"""Reminders: a message of some kind due for a user at a UTC time, sent at most once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage._base import Repository, dumps, from_ts, loads, to_ts

_COLUMNS = "id, user_id, kind, due_at, payload, sent_at, cancelled"


@dataclass(frozen=True)
class ReminderRecord:
    id: int
    user_id: int
    kind: str
    due_at: datetime
    payload: Any
    sent_at: datetime | None
    cancelled: bool

    @property
    def pending(self) -> bool:
        return self.sent_at is None and not self.cancelled


def _record(row: Any) -> ReminderRecord:
    return ReminderRecord(
        id=row[0],
        user_id=row[1],
        kind=row[2],
        due_at=from_ts(row[3]),  # type: ignore[arg-type]
        payload=loads(row[4]),
        sent_at=from_ts(row[5]),
        cancelled=bool(row[6]),
    )


class RemindersRepository(Repository):
    async def add(self, user_id: int, kind: str, due_at: datetime, payload: Any = None) -> int:
        """Schedule a reminder; ``due_at`` must be aware (it is stored as UTC)."""
        return await self._sql.insert(
            "INSERT INTO reminders (user_id, kind, due_at, payload) VALUES (?, ?, ?, ?)",
            (user_id, kind, to_ts(due_at), None if payload is None else dumps(payload)),
        )

    async def get(self, reminder_id: int) -> ReminderRecord | None:
        row = await self._sql.one(f"SELECT {_COLUMNS} FROM reminders WHERE id = ?", (reminder_id,))
        return None if row is None else _record(row)

    async def pending(self, *, user_id: int | None = None) -> list[ReminderRecord]:
        """Unsent, uncancelled reminders by due time (all users, e.g. to reschedule at start)."""
        rows = await self._sql.all(
            f"SELECT {_COLUMNS} FROM reminders WHERE sent_at IS NULL AND cancelled = 0 "
            "AND (?1 IS NULL OR user_id = ?1) ORDER BY due_at, id",
            (user_id,),
        )
        return [_record(row) for row in rows]

    async def due(self, *, at: datetime | None = None) -> list[ReminderRecord]:
        """Pending reminders whose time has come."""
        rows = await self._sql.all(
            f"SELECT {_COLUMNS} FROM reminders WHERE sent_at IS NULL AND cancelled = 0 "
            "AND due_at <= ? ORDER BY due_at, id",
            (self._ts(at),),
        )
        return [_record(row) for row in rows]

    async def mark_sent(self, reminder_id: int, *, at: datetime | None = None) -> bool:
        """Mark as sent; False if it was already sent or cancelled (so it is never sent twice)."""
        changed = await self._sql.run(
            "UPDATE reminders SET sent_at = ? WHERE id = ? AND sent_at IS NULL AND cancelled = 0",
            (self._ts(at), reminder_id),
        )
        return changed > 0

    async def cancel(self, reminder_id: int) -> bool:
        changed = await self._sql.run(
            "UPDATE reminders SET cancelled = 1 WHERE id = ? AND sent_at IS NULL AND cancelled = 0",
            (reminder_id,),
        )
        return changed > 0

    async def cancel_for_user(self, user_id: int, kind: str | None = None) -> list[int]:
        """Cancel the user's pending reminders (of ``kind``); returns their ids."""
        rows = await self._sql.all(
            "SELECT id FROM reminders WHERE user_id = ?1 AND sent_at IS NULL AND cancelled = 0 "
            "AND (?2 IS NULL OR kind = ?2)",
            (user_id, kind),
        )
        ids = [row[0] for row in rows]
        await self._sql.many("UPDATE reminders SET cancelled = 1 WHERE id = ?", [(i,) for i in ids])
        return ids
