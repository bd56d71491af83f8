"""The unit of work of a user's update, which holds the write lock only while SQLite works, and
the group commit that lets the updates of many users share one transaction and one fsync.

A ``Database.transaction()`` holds the connection from its first statement to its commit, while
the dialog engine, the Telegram adapter and the hooks run in between: with many updates in
flight, every other update waits for all of that, and the event loop idles during each fsync.
A turn (``Database.turn()``) instead:

1. reads committed data in short trips that take the lock only for the trip (an update loads the
   user's session this way);
2. queues its writes (nothing waits for them);
3. at the end hands the queue to :class:`GroupCommit`, which runs every queue waiting at that
   moment in ONE transaction, each inside its own savepoint: one fsync for all of them, and a
   failing unit is rolled back alone while the others commit.

Why reading outside the write transaction is safe here: a turn writes only its own user's rows
(plus inserts), and the updates of one user never overlap (``PerUserUpdateProcessor``), so no one
else changes those rows between the load and the commit. A step that needs more (a read after
its own writes, or a statement whose row count or rowid it needs) *upgrades* the turn on the
spot: the turn takes the lock, opens ``BEGIN IMMEDIATE`` and goes on as an ordinary transaction.

The caller's promise stays the same: when the ``async with`` block has ended without an error,
everything the turn wrote is on disk.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from bot.storage._base import Sql, in_connection_thread
from bot.storage.connection import Connection
from bot.storage.errors import StorageError, translate

Statements = list[tuple[str, Sequence[Any]]]


class GroupCommit:
    """Commits the queued writes of many turns together, in arrival order.

    Whoever gets the lock first commits everything queued by then, its own writes included;
    those whose writes went with it find their result ready when they get the lock. Under load the
    batches grow by themselves; alone, a turn commits at once.
    """

    def __init__(self, conn: Connection, path: Path, lock: asyncio.Lock) -> None:
        self._db = conn
        self._path = path
        self._lock = lock
        self._waiting: list[tuple[Statements, asyncio.Future[None]]] = []
        self.batches = 0  # commits made (for tests and the bench: how much was grouped)
        self.units = 0  # turns committed through them

    async def commit(self, statements: Statements) -> None:
        """Return once ``statements`` are committed; raise what made them fail."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((statements, done))
        async with self._lock:
            if not done.done():
                batch, self._waiting = self._waiting, []
                await self._run(batch)
        await done

    async def _run(self, batch: list[tuple[Statements, asyncio.Future[None]]]) -> None:
        try:
            failures = await in_connection_thread(
                self._db, partial(_commit_units, [statements for statements, _ in batch]))
        except sqlite3.Error as exc:
            await Sql(self._db, self._path).roll_back()
            for _, done in batch:
                _fail(done, _storage_error(exc, self._path))
            return
        except asyncio.CancelledError:
            # The committing update was cancelled (at shutdown): the trip may still commit in
            # the connection's thread, but nobody will learn its result. The other turns must not
            # wait forever, nor claim success: they fail, like an update cut off by a crash.
            for _, done in batch:
                _fail(done, StorageError(f"the commit to {self._path} was interrupted"))
            raise
        self.batches += 1
        self.units += len(batch)
        for (_, done), failure in zip(batch, failures, strict=True):
            if failure is None:
                if not done.done():
                    done.set_result(None)
            else:
                _fail(done, _storage_error(failure, self._path))


class TurnSql(Sql):
    """The SQL access of one turn: short locked reads, queued writes, upgrade when needed."""

    def __init__(self, conn: Connection, path: Path, lock: asyncio.Lock,
                 group: GroupCommit) -> None:
        super().__init__(conn, path)
        self._lock = lock
        self._group = group
        self.holding = False  # upgraded: the lock is ours and a transaction is open

    async def all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        if self.holding or self._queued:  # a read after our own writes must see them
            await self._upgrade()
            return await super().all(sql, params)
        async with self._lock:  # committed data only, never another unit's open transaction
            return await super().all(sql, params)

    async def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        await self._upgrade()
        return await super().run(sql, params)

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        await self._upgrade()
        return await super().insert(sql, params)

    async def many(self, sql: str, rows: Any) -> None:
        await self._upgrade()
        await super().many(sql, rows)

    async def _upgrade(self) -> None:
        if not self.holding:
            await self._lock.acquire()
            self.holding = True
            self._queued.insert(0, ("BEGIN IMMEDIATE", ()))

    async def finish(self) -> None:
        """Commit: the open transaction if upgraded, else through the group commit."""
        if self.holding:
            try:
                self.queue("COMMIT")
                await self.flush()
            except BaseException:
                await self.abandon()
                raise
            self._release()
        elif self._queued:
            statements, self._queued = self._queued, []
            await self._group.commit(statements)

    async def abandon(self) -> None:
        """Drop everything the turn did (its queued writes never ran; roll back if upgraded)."""
        if not self.holding:
            self.discard()
            return
        try:
            await self.roll_back()
        finally:
            self._release()

    def _release(self) -> None:
        self.holding = False
        self._lock.release()


def _commit_units(units: list[Statements], conn: sqlite3.Connection) -> list[Exception | None]:
    """In the connection's thread: every unit in its own savepoint, one COMMIT for all."""
    conn.execute("BEGIN IMMEDIATE")
    failures: list[Exception | None] = []
    for statements in units:
        conn.execute("SAVEPOINT turn")
        try:
            for sql, params in statements:
                conn.execute(sql, params)
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK TO turn")
            failures.append(exc)
        else:
            failures.append(None)
        conn.execute("RELEASE turn")
    conn.execute("COMMIT")
    return failures


def _storage_error(exc: BaseException, path: Path) -> BaseException:
    # Like Sql: an IntegrityError is the caller's logic error and stays what it is.
    if isinstance(exc, sqlite3.Error) and not isinstance(exc, sqlite3.IntegrityError):
        return translate(exc, path)
    return exc


def _fail(done: asyncio.Future[None], exc: BaseException) -> None:
    if not done.done():
        done.set_exception(exc)
