"""Events for statistics: one small row per meaningful step (start, route decided, FAQ hit...)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage._base import Repository, dumps, from_ts, loads, to_ts


@dataclass(frozen=True)
class EventRecord:
    id: int
    user_id: int | None
    kind: str
    data: Any
    at: datetime


def _window(since: datetime | None, until: datetime | None) -> tuple[int, int]:
    return (0 if since is None else to_ts(since), 2**62 if until is None else to_ts(until))


class EventsRepository(Repository):
    async def add(
        self,
        kind: str,
        *,
        user_id: int | None = None,
        data: Any = None,
        at: datetime | None = None,
    ) -> None:
        """Record an event; keep ``data`` tiny (ids, not texts) to respect the per-user budget."""
        await self._sql.write(
            "INSERT INTO events (user_id, kind, data, at) VALUES (?, ?, ?, ?)",
            (user_id, kind, None if data is None else dumps(data), self._ts(at)),
        )

    async def count_by_kind(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> dict[str, int]:
        """Kind -> number of events in [since, until)."""
        rows = await self._sql.all(
            "SELECT kind, count(*) FROM events WHERE at >= ? AND at < ? GROUP BY kind "
            "ORDER BY count(*) DESC, kind",
            _window(since, until),
        )
        return {row[0]: row[1] for row in rows}

    async def distinct_users(
        self,
        kind: str | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> int:
        """How many different users produced events (of ``kind``) in the window."""
        low, high = _window(since, until)
        if kind is None:
            sql = "SELECT count(DISTINCT user_id) FROM events WHERE at >= ? AND at < ?"
            return int(await self._sql.scalar(sql, (low, high)))
        sql = "SELECT count(DISTINCT user_id) FROM events WHERE kind = ? AND at >= ? AND at < ?"
        return int(await self._sql.scalar(sql, (kind, low, high)))

    async def data_counts(
        self, kind: str, *, since: datetime | None = None, until: datetime | None = None
    ) -> dict[str, int]:
        """For one kind, how often each distinct ``data`` value (as JSON text) occurred."""
        rows = await self._sql.all(
            "SELECT coalesce(data, 'null'), count(*) FROM events "
            "WHERE kind = ? AND at >= ? AND at < ? GROUP BY 1 ORDER BY 2 DESC",
            (kind, *_window(since, until)),
        )
        return {row[0]: row[1] for row in rows}

    async def list(
        self, *, kind: str | None = None, user_id: int | None = None, limit: int = 100
    ) -> list[EventRecord]:
        """The latest events, newest first, optionally filtered."""
        rows = await self._sql.all(
            "SELECT id, user_id, kind, data, at FROM events "
            "WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR user_id = ?2) "
            "ORDER BY at DESC, id DESC LIMIT ?3",
            (kind, user_id, limit),
        )
        return [
            EventRecord(r[0], r[1], r[2], loads(r[3]), from_ts(r[4]))  # type: ignore[arg-type]
            for r in rows
        ]
