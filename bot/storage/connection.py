"""One SQLite connection owned by one worker thread, for asyncio code.

Usage::

    conn = await Connection.open(path)
    rows = await conn.call(lambda raw: raw.execute("SELECT 1").fetchall())
    await conn.close()

``sqlite3`` blocks, so every piece of work on the connection runs in the connection's own
thread and the event loop awaits its result. ``call`` takes a whole function of the raw
``sqlite3.Connection``, so a batch of statements (a unit of work's queued writes and its
``COMMIT``) costs one trip to the thread and back, not one per statement. Work runs in the
order it was called; the result, or the exception the work raised, comes back to the awaiting
task through ``loop.call_soon_threadsafe``.

A cancelled caller does not stop work already handed to the thread (SQLite cannot be
interrupted half-way through a statement safely from here); its result is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from queue import SimpleQueue
from typing import Any, TypeVar

T = TypeVar("T")

_STOP = object()


class ConnectionClosedError(sqlite3.ProgrammingError):
    """Work was handed to a connection after ``close()``."""


class Connection:
    """A ``sqlite3`` connection in autocommit mode (``isolation_level=None``) served by one
    thread. Create with ``await Connection.open(path)``; close with ``await conn.close()``."""

    def __init__(self, raw: sqlite3.Connection, path: Path) -> None:
        self._raw = raw
        self.path = path
        self._jobs: SimpleQueue[Any] = SimpleQueue()
        self._closed = False
        self._thread = threading.Thread(target=self._serve, name=f"sqlite {path.name}",
                                        daemon=True)
        self._thread.start()

    @classmethod
    async def open(cls, path: str | Path) -> Connection:
        """Connect to ``path`` (created if missing); raises ``sqlite3.Error`` if it cannot."""
        path = Path(path)
        # Connecting touches the file system, so it too stays off the event loop. The
        # connection is used by the worker thread only, after this hand-over.
        raw = await asyncio.to_thread(sqlite3.connect, path, isolation_level=None,
                                      check_same_thread=False)
        return cls(raw, path)

    @property
    def thread_id(self) -> int | None:
        """The identifier of the thread that runs the work (for tests and diagnostics)."""
        return self._thread.ident

    @property
    def in_transaction(self) -> bool:
        """True while a transaction is open (read without a trip: sqlite3 keeps it as a flag)."""
        return not self._closed and self._raw.in_transaction

    async def call(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work(raw connection)`` in the connection's thread; return what it returns."""
        if self._closed:
            raise ConnectionClosedError(f"the connection to {self.path} is closed")
        loop = asyncio.get_running_loop()
        done: asyncio.Future[T] = loop.create_future()
        self._jobs.put((work, done, loop))
        return await done

    async def execute(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        """One statement whose result is not needed."""
        def run(raw: sqlite3.Connection) -> None:
            raw.execute(sql, params)

        await self.call(run)

    async def executescript(self, script: str) -> None:
        def run(raw: sqlite3.Connection) -> None:
            raw.executescript(script)

        await self.call(run)

    async def create_function(self, name: str, arity: int, function: Callable[..., Any], *,
                              deterministic: bool = False) -> None:
        await self.call(lambda raw: raw.create_function(name, arity, function,
                                                        deterministic=deterministic))

    async def close(self) -> None:
        """Finish the work already handed over, close the connection and end the thread.
        Closing twice is harmless."""
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._jobs.put((_STOP, done, loop))
        await done
        await asyncio.to_thread(self._thread.join)

    def _serve(self) -> None:
        while True:
            work, done, loop = self._jobs.get()
            if work is _STOP:
                try:
                    self._raw.close()
                except sqlite3.Error as exc:
                    _hand_back(loop, done, None, exc)
                else:
                    _hand_back(loop, done, None, None)
                return
            try:
                result = work(self._raw)
            except BaseException as exc:  # the caller gets whatever the work raised
                _hand_back(loop, done, None, exc)
            else:
                _hand_back(loop, done, result, None)


def _hand_back(loop: asyncio.AbstractEventLoop, done: asyncio.Future[Any], result: Any,
               error: BaseException | None) -> None:
    with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
        loop.call_soon_threadsafe(_settle, done, result, error)


def _settle(done: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if done.done():  # the caller was cancelled meanwhile
        return
    if error is None:
        done.set_result(result)
    else:
        done.set_exception(error)
