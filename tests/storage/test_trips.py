"""Queued writes: what an update costs in trips to the connection's thread, and that queuing never
lets a half-done unit of work reach the disk."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from bot.storage import Database, StorageError, _base


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts trips to the worker thread (one list item each, the statements it carried)."""
    counted: list[int] = []
    real = _base.in_connection_thread

    async def counting(conn: Any, work: Callable[[Any], Any]) -> Any:
        counted.append(1)
        return await real(conn, work)

    monkeypatch.setattr(_base, "in_connection_thread", counting)
    return counted


async def test_work_runs_in_the_connections_own_thread(db: Database) -> None:
    conn = db._db
    seen = await _base.in_connection_thread(
        conn, lambda raw: (threading.get_ident(), raw.execute("SELECT 41 + 1").fetchone()))
    assert seen == (conn.thread_id, (42,))
    assert seen[0] != threading.get_ident()


async def test_an_update_costs_two_trips(db: Database, trips: list[int]) -> None:
    async with db.transaction() as tx:
        language, session = await tx.sessions.get_with_language(7)
        assert (language, session) == (None, None)
        await tx.users.touch(7, language="kk")
        await tx.sessions.save(7, {"node": "q1"}, "kb1")
        await tx.events.add("start", user_id=7)
        await tx.unanswered.add("где справка", "ru", user_id=7)
        await tx.checklists.set_done(7, "work_permit", "passport")
        assert len(trips) == 1  # BEGIN IMMEDIATE and the load; the writes wait
    assert len(trips) == 2  # every write and COMMIT
    async with db.read() as r:
        record = await r.sessions.get(7)
        assert record is not None and record.state == {"node": "q1"}
        assert (await r.users.get(7)).language == "kk"  # type: ignore[union-attr]
        assert await r.checklists.get(7, "work_permit") == {"passport": True}
        assert [e.kind for e in await r.events.list(user_id=7)] == ["start"]


async def test_a_queued_write_that_fails_undoes_the_whole_unit(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.sessions.save(1, {"node": "before"}, "kb1")
    with pytest.raises(StorageError):
        async with db.transaction() as tx:
            await tx.sessions.save(1, {"node": "after"}, "kb1")
            await tx.users.touch(1)
            await tx._sql.write("INSERT INTO no_such_table VALUES (1)")  # fails at the commit
    async with db.read() as r:
        record = await r.sessions.get(1)
        assert record is not None and record.state == {"node": "before"}
        assert await r.users.get(1) is None
    async with db.transaction() as tx:  # and the connection is usable afterwards
        await tx.users.touch(1)
    async with db.read() as r:
        assert await r.users.get(1) is not None


async def test_reads_see_the_writes_queued_before_them(db: Database, trips: list[int]) -> None:
    async with db.transaction() as tx:
        await tx.checklists.set_done(3, "work_permit", "passport")
        await tx.checklists.set_done(3, "work_permit", "diploma", False)
        assert await tx.checklists.get(3, "work_permit") == {"diploma": False, "passport": True}
        assert await tx.checklists.clear(3, "work_permit") == 2  # row counts still exact
    assert len(trips) == 3


async def test_nothing_queued_survives_a_rolled_back_unit(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.users.touch(9)
            raise RuntimeError("the engine failed before any trip")
    async with db.transaction() as tx:
        await tx.users.touch(10)
    async with db.read() as r:
        assert await r.users.get(9) is None
        assert await r.users.get(10) is not None
