"""The connection's worker thread: order, errors, cancellation and closing."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.storage.connection import Connection, ConnectionClosedError


async def test_work_runs_in_one_thread_in_the_order_it_was_called(tmp_path: Path) -> None:
    conn = await Connection.open(tmp_path / "a.sqlite3")
    try:
        await conn.execute("CREATE TABLE t (n INTEGER)")
        threads: set[int] = set()

        def insert(n: int):
            def work(raw: sqlite3.Connection) -> int:
                threads.add(threading.get_ident())
                raw.execute("INSERT INTO t VALUES (?)", (n,))
                return n
            return work

        results = await asyncio.gather(*(conn.call(insert(n)) for n in range(50)))
        assert results == list(range(50))
        rows = await conn.call(lambda raw: raw.execute("SELECT n FROM t ORDER BY rowid").fetchall())
        assert [n for (n,) in rows] == list(range(50))
        assert threads == {conn.thread_id} and conn.thread_id != threading.get_ident()
    finally:
        await conn.close()


async def test_an_error_reaches_the_caller_and_the_connection_goes_on(tmp_path: Path) -> None:
    conn = await Connection.open(tmp_path / "a.sqlite3")
    try:
        with pytest.raises(sqlite3.OperationalError, match="no such table"):
            await conn.execute("SELECT * FROM missing")
        with pytest.raises(ZeroDivisionError):
            await conn.call(lambda raw: 1 / 0)
        assert await conn.call(lambda raw: raw.execute("SELECT 2").fetchone()) == (2,)
    finally:
        await conn.close()


async def test_in_transaction_follows_begin_and_commit(tmp_path: Path) -> None:
    conn = await Connection.open(tmp_path / "a.sqlite3")
    try:
        assert not conn.in_transaction
        await conn.execute("BEGIN IMMEDIATE")
        assert conn.in_transaction
        await conn.execute("COMMIT")
        assert not conn.in_transaction
    finally:
        await conn.close()


async def test_a_cancelled_caller_leaves_the_connection_usable(tmp_path: Path) -> None:
    conn = await Connection.open(tmp_path / "a.sqlite3")
    release = threading.Event()
    try:
        slow = asyncio.ensure_future(conn.call(lambda raw: release.wait(5)))
        await asyncio.sleep(0.01)
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        release.set()
        assert await conn.call(lambda raw: raw.execute("SELECT 3").fetchone()) == (3,)
    finally:
        await conn.close()


async def test_close_ends_the_thread_and_refuses_further_work(tmp_path: Path) -> None:
    conn = await Connection.open(tmp_path / "a.sqlite3")
    thread = next(t for t in threading.enumerate() if t.ident == conn.thread_id)
    await conn.close()
    await conn.close()  # twice is harmless
    assert not thread.is_alive()
    assert not conn.in_transaction
    with pytest.raises(ConnectionClosedError):
        await conn.execute("SELECT 1")


async def test_a_path_that_cannot_be_opened_raises_sqlite_error(tmp_path: Path) -> None:
    with pytest.raises(sqlite3.OperationalError):
        await Connection.open(tmp_path / "no" / "such" / "folder" / "a.sqlite3")
