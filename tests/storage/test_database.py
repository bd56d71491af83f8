"""Opening, migrating and the unit of work of bot.storage.Database."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from bot.storage import (
    PERSONAL_TABLES,
    SCHEMA_VERSION,
    Database,
    SchemaTooNewError,
    StorageError,
    Transaction,
)
from bot.storage import database as database_module
from bot.storage.inbox import KEEP_HANDLED
from bot.storage.schema import APPLICATION_ID, MIGRATIONS
from tests.storage.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]


async def test_open_creates_folder_and_sets_pragmas(db: Database, db_path: Path) -> None:
    assert db_path.is_file()
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        conn.close()
    # Pragmas that are per connection are checked on the bot's own connection.
    assert await db._sql.scalar("PRAGMA foreign_keys") == 1
    assert await db._sql.scalar("PRAGMA busy_timeout") == 200
    assert await db.schema_version() == SCHEMA_VERSION


async def test_data_survives_reopen(db_path: Path) -> None:
    first = await Database.open(db_path)
    async with first.transaction() as tx:
        await tx.sessions.save(7, {"node": "q2", "answers": {"q1": "да"}}, "kb1")
    await first.close()
    second = await Database.open(db_path)
    async with second.read() as r:
        record = await r.sessions.get(7)
    await second.close()
    assert record is not None
    assert record.state == {"node": "q2", "answers": {"q1": "да"}}


async def test_exception_rolls_back_the_whole_unit(db: Database) -> None:
    with pytest.raises(ZeroDivisionError):
        async with db.transaction() as tx:
            await tx.users.touch(1)
            await tx.sessions.save(1, {"node": "q1"}, "kb1")
            1 / 0  # noqa: B018 - the failure in the middle of an update
    async with db.read() as r:
        assert await r.users.get(1) is None
        assert await r.sessions.get(1) is None


async def test_nested_unit_of_work_is_refused(db: Database) -> None:
    async with db.transaction():
        with pytest.raises(RuntimeError, match="already open"):
            async with db.read():
                pass


async def test_read_refuses_writes(db: Database) -> None:
    with pytest.raises(StorageError):
        async with db.read() as r:
            await r.users.touch(5)
    async with db.transaction() as tx:  # the connection is writable again afterwards
        await tx.users.touch(5)
    async with db.read() as r:
        assert await r.users.get(5) is not None


async def test_concurrent_units_are_serialised(db: Database) -> None:
    async def bump(user_id: int) -> None:
        async with db.transaction() as tx:
            current = await tx.sessions.get(0)
            count = current.state["count"] if current else 0
            await asyncio.sleep(0)  # let the other tasks try to interleave
            await tx.sessions.save(0, {"count": count + 1}, "kb")
            await tx.events.add("bump", user_id=user_id)

    await asyncio.gather(*(bump(i) for i in range(20)))
    async with db.read() as r:
        session = await r.sessions.get(0)
        assert session is not None and session.state == {"count": 20}
        assert await r.events.count_by_kind() == {"bump": 20}


def _make_old_database(path: Path, version: int) -> None:
    """A database as an older release left it: only the first ``version`` migrations."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for script in MIGRATIONS[:version]:
            conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("INSERT INTO users VALUES (42, 'kk', 100, 200, 0)")
    finally:
        conn.close()


async def test_migrates_from_an_older_version_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _make_old_database(path, 1)
    db = await Database.open(path)
    try:
        assert await db.schema_version() == SCHEMA_VERSION
        async with db.transaction() as tx:
            user = await tx.users.get(42)
            assert user is not None and user.language == "kk"
            # a table of migration 2 is usable
            await tx.reminders.add(42, "deadline", user.first_seen)
            assert len(await tx.reminders.pending(user_id=42)) == 1
    finally:
        await db.close()


async def test_failed_migration_keeps_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await db.close()
    broken = "CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(database_module, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(database_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StorageError, match="no_such_table"):
        await Database.open(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "half_done" not in tables
    finally:
        conn.close()


async def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    _make_old_database(path, SCHEMA_VERSION)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match=f"version {SCHEMA_VERSION + 5}"):
        await Database.open(path)
    assert path.read_bytes() == before


async def test_forget_user_covers_every_personal_table(db: Database, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    with_user = {
        t for t in tables if any(c[1] == "user_id" for c in conn.execute(f"PRAGMA table_info({t})"))
    }
    conn.close()
    assert with_user == set(PERSONAL_TABLES)

    async def fill(tx: Transaction, user_id: int) -> None:
        await tx.users.touch(user_id)
        await tx.sessions.save(user_id, {"node": "q"}, "kb")
        await tx.checklists.set_done(user_id, "work_permit", "passport")
        await tx.unanswered.add("где справка", "ru", user_id=user_id)
        await tx.events.add("start", user_id=user_id)
        await tx.reminders.add(user_id, "deadline", db._clock() + timedelta(days=3))
        await tx.share_codes.create({"route": "eaeu"}, ttl=timedelta(days=1), user_id=user_id)
        await tx.handoffs.add(user_id, {"question": "help"})
        await tx.inbox.add([(1000 + user_id, user_id, {"message": {"text": "где справка"}})])
        await tx.outbox.add(1000 + user_id, user_id, user_id, [{"text": "ответ", "markup": None}])

    async with db.transaction() as tx:
        await fill(tx, 1)
        await fill(tx, 2)
    deleted = await db.forget_user(1)
    assert deleted == dict.fromkeys(PERSONAL_TABLES, 1)
    conn = sqlite3.connect(db_path)
    try:
        for table in PERSONAL_TABLES:
            left = conn.execute(f"SELECT user_id FROM {table}").fetchall()
            assert left == [(2,)], table
    finally:
        conn.close()


_KILL_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys, time
    sys.path.insert(0, {root!r})
    from bot.storage import Database

    async def main():
        db = await Database.open({path!r})
        async with db.transaction() as tx:
            await tx.sessions.save(9, {{"node": "q3", "answers": {{"q1": "yes"}}}}, "kb")
        print("confirmed", flush=True)   # the moment a bot would send its reply
        async with db.transaction() as tx:
            await tx.sessions.save(9, {{"node": "never"}}, "kb")
            print("uncommitted", flush=True)
            time.sleep(60)               # killed here, inside an open transaction

    asyncio.run(main())
    """
)


async def test_kill_minus_nine_keeps_confirmed_state(tmp_path: Path) -> None:
    path = tmp_path / "kill.sqlite3"
    script = _KILL_SCRIPT.format(root=str(ROOT), path=str(path))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "confirmed"
        assert proc.stdout.readline().strip() == "uncommitted"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    db = await Database.open(path)
    try:
        async with db.read() as r:
            record = await r.sessions.get(9)
    finally:
        await db.close()
    assert record is not None and record.state == {"node": "q3", "answers": {"q1": "yes"}}


async def test_the_inbox_keeps_updates_until_handled_and_no_text_after(
    db: Database, db_path: Path, clock: FakeClock
) -> None:
    """#17 point 9: what was fetched is stored until handled; then only ids stay: for a day
    (an update delivered again is known), then only the offset."""
    async with db.transaction() as tx:
        await tx.inbox.add([(5, 1, {"message": {"text": "first"}}),
                            (6, 2, {"message": {"text": "second"}})])
        await tx.inbox.add([(5, 1, {"message": {"text": "changed"}})])  # fetched again
    async with db.transaction() as tx:
        pending = await tx.inbox.pending()
    assert [(i.update_id, i.payload["message"]["text"], i.attempts) for i in pending] == [
        (5, "first", 1), (6, "second", 1)]
    async with db.transaction() as tx:
        await tx.inbox.handled(5)
        await tx.inbox.handled(6)
        assert await tx.inbox.last_id() == 6
        assert await tx.inbox.pending() == []
    def rows() -> list[tuple]:
        conn = sqlite3.connect(db_path)
        try:
            return conn.execute("SELECT update_id, user_id, payload FROM inbox").fetchall()
        finally:
            conn.close()

    assert rows() == [(5, None, ""), (6, None, "")]  # nothing about anyone
    async with db.transaction() as tx:
        assert not await tx.inbox.receive(5, 1, {"message": {"text": "again"}})  # delivered again
        assert await tx.inbox.pending() == []
        assert await tx.inbox.receive(7, 1, {"message": {"text": "third"}})
    clock.advance(seconds=(KEEP_HANDLED + timedelta(minutes=1)).total_seconds())
    async with db.transaction() as tx:
        await tx.inbox.handled(7)
    assert rows() == [(7, None, "")]  # the offset


async def test_an_update_that_keeps_failing_is_given_up(db: Database) -> None:
    from bot.storage.inbox import MAX_ATTEMPTS

    async with db.transaction() as tx:
        await tx.inbox.add([(9, 1, {"message": {"text": "poison"}})])
    for _ in range(MAX_ATTEMPTS):
        async with db.transaction() as tx:
            assert [i.update_id for i in await tx.inbox.pending()] == [9]
    async with db.transaction() as tx:
        assert await tx.inbox.pending() == []
        assert await tx.inbox.last_id() == 9


async def test_an_unsent_reply_waits_in_the_outbox_for_a_day(db: Database,
                                                             clock: FakeClock) -> None:
    from bot.storage.outbox import MAX_AGE

    async with db.transaction() as tx:
        await tx.outbox.add(7, 1, 1, [{"text": "old", "markup": None}])
    clock.advance(seconds=(MAX_AGE + timedelta(minutes=1)).total_seconds())
    async with db.transaction() as tx:
        await tx.outbox.add(8, 1, 1, [{"text": "new", "markup": None}])
        await tx.outbox.add(9, 2, 2, [{"text": "sent", "markup": None}])
        await tx.outbox.sent(9)
    async with db.transaction() as tx:
        pending = await tx.outbox.pending()
    assert [(i.update_id, i.payload[0]["text"]) for i in pending] == [(8, "new")]
