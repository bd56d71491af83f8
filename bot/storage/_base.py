"""Helpers shared by the repositories: error-translating SQL access, time and JSON encoding."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.errors import translate

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The default clock: an aware datetime in UTC."""
    return datetime.now(UTC)


def to_ts(moment: datetime) -> int:
    """Aware datetime -> Unix seconds. Naive datetimes are refused: their zone is ambiguous."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: pass an aware datetime (e.g. UTC)")
    return int(moment.timestamp())


def from_ts(seconds: int | None) -> datetime | None:
    """Unix seconds -> aware UTC datetime (None stays None)."""
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def dumps(value: Any) -> str:
    """Compact JSON: no spaces and no \\u escapes, so Cyrillic text costs 2 bytes a letter."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class Sql:
    """Thin access to one aiosqlite connection that turns sqlite3 errors into StorageError."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    async def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute one statement; return the number of rows changed.

        One trip to aiosqlite's worker thread per statement (``execute_fetchall``), not three
        (execute, then the cursor's rowcount and close): the trips, not SQLite, dominate the
        cost of an update. Units of work never overlap, so the change in ``total_changes`` is
        this statement's row count.
        """
        try:
            before = self._conn.total_changes
            await self._conn.execute_fetchall(sql, params)
            return self._conn.total_changes - before
        except sqlite3.IntegrityError:
            raise  # a logic error in the caller, not a storage fault
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute an INSERT; return the new rowid."""
        try:
            row = await self._conn.execute_insert(sql, params)  # one trip, like run()
            return int(row[0]) if row and row[0] is not None else 0
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    async def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            await self._conn.executemany(sql, rows)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    async def all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            return list(await self._conn.execute_fetchall(sql, params))
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    async def one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        rows = await self.all(sql, params)
        return rows[0] if rows else None

    async def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self.one(sql, params)
        return None if row is None else row[0]


class Repository:
    """Base of the repositories: each gets the SQL access and the clock of its unit of work."""

    def __init__(self, sql: Sql, clock: Clock) -> None:
        self._sql = sql
        self._clock = clock

    def _ts(self, at: datetime | None) -> int:
        return to_ts(self._clock() if at is None else at)
