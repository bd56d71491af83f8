"""Hand-off requests: a user asked for a human consultant; delivery is retried until sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage._base import Repository, dumps, from_ts, loads

PENDING, POSTING, SENT, FAILED = "pending", "posting", "sent", "failed"
# "posting": a post to the consultants' chat has started and its result is not recorded yet; a
# request still "posting" after a restart may or may not have reached the chat.
_COLUMNS = "id, user_id, payload, status, attempts, last_error, created_at, updated_at"
MAX_ERROR_CHARS = 300


@dataclass(frozen=True)
class HandoffRecord:
    id: int
    user_id: int
    payload: Any
    status: str  # pending | posting | sent | failed
    attempts: int
    last_error: str | None
    created_at: datetime
    updated_at: datetime


def _record(row: Any) -> HandoffRecord:
    return HandoffRecord(
        row[0],
        row[1],
        loads(row[2]),
        row[3],
        row[4],
        row[5],
        from_ts(row[6]),
        from_ts(row[7]),  # type: ignore[arg-type]
    )


class HandoffsRepository(Repository):
    async def add(self, user_id: int, payload: Any, *, at: datetime | None = None) -> int:
        ts = self._ts(at)
        return await self._sql.insert(
            "INSERT INTO handoffs (user_id, payload, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (user_id, dumps(payload), ts, ts),
        )

    async def get(self, handoff_id: int) -> HandoffRecord | None:
        row = await self._sql.one(f"SELECT {_COLUMNS} FROM handoffs WHERE id = ?", (handoff_id,))
        return None if row is None else _record(row)

    async def pending(self) -> list[HandoffRecord]:
        """Requests not delivered yet, those interrupted while posting included."""
        rows = await self._sql.all(
            f"SELECT {_COLUMNS} FROM handoffs WHERE status IN (?, ?) ORDER BY created_at, id",
            (PENDING, POSTING),
        )
        return [_record(row) for row in rows]

    async def mark_posting(self, handoff_id: int, *, at: datetime | None = None) -> None:
        """A post starts (committed before it, so a kill during it is known afterwards)."""
        await self._sql.write(
            "UPDATE handoffs SET status = ?, updated_at = ? WHERE id = ? AND status IN (?, ?)",
            (POSTING, self._ts(at), handoff_id, PENDING, POSTING),
        )

    async def for_user(self, user_id: int) -> list[HandoffRecord]:
        rows = await self._sql.all(
            f"SELECT {_COLUMNS} FROM handoffs WHERE user_id = ? ORDER BY created_at, id",
            (user_id,),
        )
        return [_record(row) for row in rows]

    async def mark_sent(self, handoff_id: int, *, at: datetime | None = None) -> None:
        await self._sql.write(
            "UPDATE handoffs SET status = ?, attempts = attempts + 1, last_error = NULL, "
            "updated_at = ? WHERE id = ?",
            (SENT, self._ts(at), handoff_id),
        )

    async def mark_failed(
        self, handoff_id: int, error: str, *, give_up: bool = False, at: datetime | None = None
    ) -> None:
        """Count a failed attempt; it stays pending for a retry unless ``give_up``."""
        await self._sql.write(
            "UPDATE handoffs SET status = ?, attempts = attempts + 1, last_error = ?, "
            "updated_at = ? WHERE id = ?",
            (FAILED if give_up else PENDING, error[:MAX_ERROR_CHARS], self._ts(at), handoff_id),
        )
