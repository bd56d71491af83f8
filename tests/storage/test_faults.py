"""Storage faults: each becomes a clear StorageError, with no half-written state and no existing
file overwritten."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest

from bot.storage import (
    Database,
    DatabaseCorruptError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DiskFullError,
    NotOurDatabaseError,
    StorageError,
)

NOBODY = 65534


async def _make_database(path: Path) -> None:
    db = await Database.open(path)
    async with db.transaction() as tx:
        await tx.users.touch(1)
        await tx.sessions.save(1, {"node": "q1"}, "kb")
    await db.close()


async def test_non_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my precious notes, not a database\n")
    before = path.read_bytes()
    with pytest.raises(DatabaseCorruptError, match="not a SQLite database"):
        await Database.open(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # no -wal/-shm made


async def test_garbage_bytes_are_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    path.write_bytes(os.urandom(8192))
    before = path.read_bytes()
    with pytest.raises(DatabaseCorruptError):
        await Database.open(path)
    assert path.read_bytes() == before


async def test_database_with_damaged_pages_is_reported_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await _make_database(path)
    data = bytearray(path.read_bytes())
    # Keep the 100-byte file header, destroy the rest of page 1 (the schema) and beyond.
    data[100:] = os.urandom(len(data) - 100)
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorruptError, match="corrupt"):
        db = await Database.open(path)
        try:  # if opening got through, the first real read must fail
            async with db.read() as r:
                await r.sessions.get(1)
        finally:
            await db.close()


async def test_database_of_another_program_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotOurDatabaseError, match="another program"):
        await Database.open(path)
    assert path.read_bytes() == before


def _open_as_unprivileged(path: str, results: multiprocessing.Queue) -> None:
    """Child process: drop root (root ignores file modes), then try to open and write."""
    if os.geteuid() == 0:
        os.setgid(NOBODY)
        os.setuid(NOBODY)

    async def attempt() -> str:
        try:
            db = await Database.open(path)
        except StorageError as exc:
            return f"{type(exc).__name__}: {exc}"
        try:
            async with db.transaction() as tx:
                await tx.users.touch(2)
            return "written"
        except StorageError as exc:
            return f"{type(exc).__name__}: {exc}"
        finally:
            await db.close()

    results.put(asyncio.run(attempt()))


def test_read_only_file_fails_at_open_with_a_clear_error() -> None:
    # A folder outside pytest's private tmp tree, so the unprivileged child can reach it. The
    # folder stays writable (SQLite may create -shm files); only the database file is read-only.
    with tempfile.TemporaryDirectory(prefix="kzwork-ro-") as folder:
        os.chmod(folder, 0o777)
        path = Path(folder) / "bot.sqlite3"
        asyncio.run(_make_database(path))
        before = path.read_bytes()
        path.chmod(0o444)
        outcome = _run_unprivileged(path)
        assert outcome.startswith("DatabaseReadOnlyError: "), outcome
        assert "read-only" in outcome
        assert path.read_bytes() == before


def _run_unprivileged(path: Path) -> str:
    ctx = multiprocessing.get_context("fork")  # keeps already-imported modules for the child
    results = ctx.Queue()
    child = ctx.Process(target=_open_as_unprivileged, args=(str(path), results))
    child.start()
    try:
        return str(results.get(timeout=20))
    finally:
        child.join(timeout=10)


async def test_lock_held_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await _make_database(path)
    db = await Database.open(path, busy_timeout_ms=100)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLockedError, match="locked"):
            async with db.transaction() as tx:
                await tx.users.touch(3)
        with pytest.raises(DatabaseLockedError, match="another process"):
            await Database.open(path, busy_timeout_ms=100)  # detected at start, too
    finally:
        other.execute("ROLLBACK")
        other.close()
    async with db.transaction() as tx:  # usable again once the lock is gone
        await tx.users.touch(3)
    async with db.read() as r:
        assert await r.users.get(3) is not None
    await db.close()


async def test_disk_full_leaves_no_half_written_update(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.sessions.save(1, {"node": "q1"}, "kb")
    # Simulate a full disk: freeze the file at its current size (SQLite reports SQLITE_FULL,
    # exactly as when the file system runs out of space).
    pages = await db._sql.scalar("PRAGMA page_count")
    await db._sql.run(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFullError, match="disk is full"):
        async with db.transaction() as tx:
            await tx.sessions.save(1, {"node": "q2"}, "kb")
            for i in range(200):
                await tx.events.add("filler", user_id=1, data={"blob": "x" * 2000, "i": i})
    await db._sql.run("PRAGMA max_page_count = 1073741823")
    async with db.read() as r:
        session = await r.sessions.get(1)
        assert session is not None and session.state == {"node": "q1"}
        assert await r.events.count_by_kind() == {}


async def test_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseReadOnlyError, match="cannot create the folder"):
        await Database.open(blocker / "sub" / "bot.sqlite3")
