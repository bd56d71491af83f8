"""Retention: Database.expire_inactive deletes what identifies users who have been away too long."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from bot.storage import PERSONAL_TABLES, Database
from tests.storage.conftest import FakeClock


async def _user_with_everything(db: Database, user_id: int) -> None:
    async with db.transaction() as tx:
        await tx.users.touch(user_id, language="kk")
        await tx.sessions.save(user_id, {"node": "q1"}, "kb1")
        await tx.checklists.set_done(user_id, "work_permit", "passport")
        await tx.unanswered.add("где справка", "ru", user_id=user_id)
        await tx.events.add("start", user_id=user_id)
        await tx.events.add("flow_finished", user_id=user_id, data={"route": "eaeu"})
        await tx.share_codes.create({"flow": "worker"}, ttl=timedelta(days=30), user_id=user_id)
        await tx.handoffs.add(user_id, {"card": "..."})
        await tx.inbox.add([(100 + user_id, user_id, {"message": {"text": "где справка"}})])
        await tx.outbox.add(100 + user_id, user_id, user_id, [{"text": "ответ", "markup": None}])


def _rows_of(db_path: Path, user_id: int) -> dict[str, int]:
    connection = sqlite3.connect(db_path)
    try:
        counts = {table: connection.execute(
            f"SELECT count(*) FROM {table} WHERE user_id = ?", (user_id,)).fetchone()[0]
            for table in PERSONAL_TABLES}
    finally:
        connection.close()
    return {table: count for table, count in counts.items() if count}


async def test_users_away_too_long_are_expired(db: Database, db_path: Path,
                                               clock: FakeClock) -> None:
    for user_id in (1, 3, 4, 5):  # seen 400 days ago
        await _user_with_everything(db, user_id)
    async with db.transaction() as tx:
        await tx.reminders.add(3, "deadline", clock.now + timedelta(days=500))  # still waiting
        sent = await tx.reminders.add(4, "deadline", clock.now + timedelta(days=1))
        cancelled = await tx.reminders.add(5, "deadline", clock.now + timedelta(days=1))
        await tx.reminders.mark_sent(sent)
        await tx.reminders.cancel(cancelled)
    clock.advance(days=400)
    await _user_with_everything(db, 2)  # seen today
    events_before = sqlite3.connect(db_path).execute("SELECT count(*) FROM events").fetchone()[0]

    expired = await db.expire_inactive(clock.now - timedelta(days=365), batch=2)

    assert expired == [1, 4, 5]
    for user_id in expired:
        assert _rows_of(db_path, user_id) == {}, user_id
    assert set(_rows_of(db_path, 2)) == set(PERSONAL_TABLES) - {"reminders"}
    assert "sessions" in _rows_of(db_path, 3)  # kept: a reminder is still to be sent
    connection = sqlite3.connect(db_path)
    events_after = connection.execute("SELECT count(*) FROM events").fetchone()[0]
    anonymous = connection.execute(
        "SELECT kind, count(*) FROM events WHERE user_id IS NULL GROUP BY kind").fetchall()
    connection.close()
    assert events_after == events_before  # the statistics keep their counts...
    assert sorted(anonymous) == [("flow_finished", 3), ("start", 3)]  # ...without the ids


async def test_nobody_is_expired_when_everyone_is_recent(db: Database, clock: FakeClock) -> None:
    await _user_with_everything(db, 1)
    assert await db.expire_inactive(clock.now - timedelta(days=365)) == []
    async with db.read() as r:
        assert await r.users.get(1) is not None
