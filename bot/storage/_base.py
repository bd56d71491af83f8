"""Helpers shared by the repositories: error-translating SQL access, time and JSON encoding."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from bot.storage.connection import Connection
from bot.storage.errors import translate

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
T = TypeVar("T")


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
    """Access to one connection: queued writes, one thread trip per read or commit, and sqlite3
    errors turned into ``StorageError``.

    Every piece of work on the connection is a trip to its thread and back, which costs far more
    than SQLite's own work for the small statements of an update (about 60 µs against 5–10 µs on the
    bench machine). So writes whose result nobody needs (``write``) wait in a queue and go with
    the next trip: a read, a statement whose row count is wanted, or the commit. A usual update
    thus costs two trips: "BEGIN IMMEDIATE + load the session" and "every write + COMMIT".

    A queued write that fails raises from the trip that carries it, inside the same unit of work,
    whose rollback then undoes the whole unit: nothing half-written reaches the disk.
    """

    def __init__(self, conn: Connection, path: Path) -> None:
        self._db = conn
        self.path = path
        self._queued: list[tuple[str, Sequence[Any]]] = []
        # In a read-only unit a write must fail where it is made, not vanish with the snapshot.
        self.eager_writes = False

    def queue(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run ``sql`` with the next trip (the units of work queue BEGIN and COMMIT this way)."""
        self._queued.append((sql, params))

    async def write(self, sql: str, params: Sequence[Any] = ()) -> None:
        """A statement whose result is not needed: queued for the next trip."""
        if self.eager_writes:
            await self.run(sql, params)
        else:
            self.queue(sql, params)

    def discard(self) -> bool:
        """Drop the queued statements (after a failure); True if there were any."""
        had, self._queued = bool(self._queued), []
        return had

    async def roll_back(self) -> None:
        """Undo the unit of work: queued statements never ran, so dropping them is their
        rollback; an open transaction gets ROLLBACK. Never raises: SQLite rolls back by itself
        after some errors (e.g. disk full), and then ROLLBACK would fail."""
        self.discard()
        if self._db.in_transaction:
            try:
                await self._db.execute("ROLLBACK")
            except sqlite3.Error:
                logger.warning("ROLLBACK failed on %s", self.path, exc_info=True)

    async def flush(self) -> None:
        """Run the queued statements now (the commit does this)."""
        if self._queued:
            await self._trip(_nothing)

    async def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute one statement (after the queued ones); return the number of rows changed."""
        return await self._trip(partial(_changes, sql, params))

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute an INSERT; return the new rowid."""
        return await self._trip(partial(_insert, sql, params))

    async def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._trip(partial(_many, sql, list(rows)))

    async def all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return await self._trip(partial(_fetchall, sql, params))

    async def one(self, sql: str, params: Sequence[Any] = ()) -> Any | None:
        rows = await self.all(sql, params)
        return rows[0] if rows else None

    async def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self.one(sql, params)
        return None if row is None else row[0]

    async def _trip(self, last: Callable[[sqlite3.Connection], T]) -> T:
        """One trip to the worker thread: the queued statements, then ``last``."""
        queued, self._queued = self._queued, []

        def work(conn: sqlite3.Connection) -> T:
            for sql, params in queued:
                conn.execute(sql, params)
            return last(conn)

        try:
            return await in_connection_thread(self._db, work)
        except sqlite3.IntegrityError:
            raise  # a logic error in the caller, not a storage fault
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc


async def in_connection_thread(conn: Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """Run ``work(sqlite3 connection)`` in ``conn``'s thread: one trip for many statements."""
    return await conn.call(work)


def _nothing(conn: sqlite3.Connection) -> None:
    return None


def _changes(sql: str, params: Sequence[Any], conn: sqlite3.Connection) -> int:
    before = conn.total_changes
    conn.execute(sql, params)
    return conn.total_changes - before


def _insert(sql: str, params: Sequence[Any], conn: sqlite3.Connection) -> int:
    return int(conn.execute(sql, params).lastrowid or 0)


def _many(sql: str, rows: list[Sequence[Any]], conn: sqlite3.Connection) -> None:
    conn.executemany(sql, rows)


def _fetchall(sql: str, params: Sequence[Any], conn: sqlite3.Connection) -> list[Any]:
    return conn.execute(sql, params).fetchall()


class Repository:
    """Base of the repositories: each gets the SQL access and the clock of its unit of work."""

    def __init__(self, sql: Sql, clock: Clock) -> None:
        self._sql = sql
        self._clock = clock

    def _ts(self, at: datetime | None) -> int:
        return to_ts(self._clock() if at is None else at)
