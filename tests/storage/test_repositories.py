"""Behaviour of each repository, with a clock the tests move by hand (the ``clock`` fixture)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.storage import Database


async def test_users_touch_language_block_and_stats(db: Database, clock: Any) -> None:
    start = clock.now
    async with db.transaction() as tx:
        await tx.users.touch(1)
        await tx.users.set_language(2, "kk")
        await tx.users.touch(3)
    clock.advance(days=2)
    async with db.transaction() as tx:
        await tx.users.touch(1)  # back two days later
        await tx.users.set_language(1, "ru")
        await tx.users.set_blocked(3)
    async with db.read() as r:
        one = await r.users.get(1)
        assert one is not None
        assert (one.first_seen, one.last_seen, one.language) == (start, clock.now, "ru")
        three = await r.users.get(3)
        assert three is not None and three.blocked
        assert await r.users.get(99) is None
        assert await r.users.ids() == [1, 2]
        assert await r.users.ids(include_blocked=True) == [1, 2, 3]
        stats = await r.users.stats(active_since=start + timedelta(days=1))
        assert (stats.total, stats.blocked, stats.active) == (3, 1, 1)
        assert stats.by_language == {"ru": 1, "kk": 1, "": 1}
    async with db.transaction() as tx:
        await tx.users.touch(3)  # writing to the bot again means it is unblocked
    async with db.read() as r:
        three = await r.users.get(3)
        assert three is not None and not three.blocked


async def test_sessions_round_trip_and_replace(db: Database, clock: Any) -> None:
    state = {"flow": "worker", "node": "q2", "answers": {"citizenship": "UZ"}, "history": ["q1"]}
    async with db.transaction() as tx:
        await tx.sessions.save(5, state, "kb-2026-11-25")
    clock.advance(minutes=5)
    async with db.transaction() as tx:
        await tx.sessions.save(5, {**state, "node": "q3"}, "kb-2026-11-26")
    async with db.read() as r:
        record = await r.sessions.get(5)
        assert record is not None
        assert record.state["node"] == "q3" and record.state["answers"] == {"citizenship": "UZ"}
        assert record.kb_version == "kb-2026-11-26"
        assert record.updated_at == clock.now
        assert await r.sessions.count() == 1
    async with db.transaction() as tx:
        assert await tx.sessions.delete(5) is True
        assert await tx.sessions.delete(5) is False


async def test_session_state_must_be_json(db: Database) -> None:
    with pytest.raises(TypeError):
        async with db.transaction() as tx:
            await tx.sessions.save(1, {"when": datetime(2026, 1, 1)}, "kb")
    async with db.read() as r:
        assert await r.sessions.get(1) is None


async def test_large_session_is_warned_about(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async with db.transaction() as tx:
        await tx.sessions.save(1, {"history": ["ответ"] * 600}, "kb")
    assert "trim its history" in caplog.text


async def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="naive"):
        async with db.transaction() as tx:
            await tx.reminders.add(1, "deadline", datetime(2026, 12, 1, 10, 0))


async def test_checklists(db: Database) -> None:
    async with db.transaction() as tx:
        await tx.checklists.set_done(1, "work_permit", "passport")
        await tx.checklists.set_done(1, "work_permit", "diploma")
        await tx.checklists.set_done(1, "work_permit", "diploma", done=False)
        await tx.checklists.set_done(1, "eaeu", "contract")
        await tx.checklists.set_done(2, "work_permit", "passport")
    async with db.read() as r:
        assert await r.checklists.get(1, "work_permit") == {"diploma": False, "passport": True}
        assert await r.checklists.routes(1) == ["eaeu", "work_permit"]
    async with db.transaction() as tx:
        assert await tx.checklists.clear(1, "eaeu") == 1
        assert await tx.checklists.clear(1) == 2
    async with db.read() as r:
        assert await r.checklists.get(1, "work_permit") == {}
        assert await r.checklists.get(2, "work_permit") == {"passport": True}


async def test_unanswered_summary_groups_case_insensitively(db: Database, clock: Any) -> None:
    async with db.transaction() as tx:
        await tx.unanswered.add("Где получить ИИН?", "ru", best_score=41.5, user_id=1)
        clock.advance(hours=1)
        await tx.unanswered.add("  где получить иин?  ", "ru", best_score=55.0, user_id=2)
        await tx.unanswered.add("what is a quota", "en", kind="low_score", best_score=70.0)
        await tx.unanswered.add("x" * 5000, "en")
        for _ in range(60):  # one person sending the same junk sixty times is one person
            await tx.unanswered.add("qwzx blorp", "en", user_id=3)
    async with db.read() as r:
        summary = await r.unanswered.summary(limit=10)
        assert summary[0].count == 2 and summary[0].lang == "ru"
        assert next(s.count for s in summary if s.text == "qwzx blorp") == 1
        assert summary[0].best_score == 55.0 and summary[0].last_at == clock.now
        assert {s.text for s in summary[1:]} >= {"what is a quota"}
        latest = await r.unanswered.latest(limit=2)
        assert len(latest) == 2 and all(item.at == clock.now for item in latest)
        assert max(len(item.text) for item in await r.unanswered.latest(limit=100)) == 500
        assert await r.unanswered.count() == 64
        assert await r.unanswered.count(since=clock.now) == 63


async def test_events_counts_and_windows(db: Database, clock: Any) -> None:
    start = clock.now
    async with db.transaction() as tx:
        await tx.events.add("start", user_id=1)
        await tx.events.add("route", user_id=1, data={"route": "eaeu"})
        await tx.events.add("route", user_id=2, data={"route": "eaeu"})
        clock.advance(days=1)
        await tx.events.add("route", user_id=2, data={"route": "work_permit"})
    async with db.read() as r:
        assert await r.events.count_by_kind() == {"route": 3, "start": 1}
        assert await r.events.count_by_kind(until=start + timedelta(hours=1)) == {
            "route": 2,
            "start": 1,
        }
        assert await r.events.distinct_users("route") == 2
        assert await r.events.distinct_users(since=clock.now) == 1
        assert await r.events.data_counts("route") == {
            '{"route":"eaeu"}': 2,
            '{"route":"work_permit"}': 1,
        }
        latest = await r.events.list(kind="route", limit=1)
        assert [(e.user_id, e.data, e.at) for e in latest] == [
            (2, {"route": "work_permit"}, clock.now)
        ]
        assert [e.kind for e in await r.events.list(user_id=1)] == ["route", "start"]


async def test_reminders_are_sent_once(db: Database, clock: Any) -> None:
    async with db.transaction() as tx:
        first = await tx.reminders.add(1, "deadline", clock.now + timedelta(hours=1), {"d": 3})
        second = await tx.reminders.add(1, "deadline", clock.now + timedelta(days=2))
        other = await tx.reminders.add(2, "checklist", clock.now + timedelta(hours=2))
    async with db.read() as r:
        assert await r.reminders.due() == []
        assert [p.id for p in await r.reminders.pending()] == [first, other, second]
    clock.advance(hours=3)
    async with db.transaction() as tx:
        due = await tx.reminders.due()
        assert [d.id for d in due] == [first, other]
        assert due[0].payload == {"d": 3}
        assert await tx.reminders.mark_sent(first) is True
        assert await tx.reminders.mark_sent(first) is False  # never twice
        assert await tx.reminders.cancel_for_user(1) == [second]
        assert await tx.reminders.cancel(second) is False
    async with db.read() as r:
        sent = await r.reminders.get(first)
        assert sent is not None and sent.sent_at == clock.now and not sent.pending
        assert [p.id for p in await r.reminders.pending()] == [other]


async def test_share_codes_expire(db: Database, clock: Any) -> None:
    async with db.transaction() as tx:
        code = await tx.share_codes.create({"route": "eaeu"}, ttl=timedelta(days=30), user_id=1)
        another = await tx.share_codes.create({"route": "eaeu"}, ttl=timedelta(days=1))
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", code.code)
    assert code.code != another.code
    async with db.read() as r:
        found = await r.share_codes.get(code.code)
        assert found is not None and found.payload == {"route": "eaeu"} and found.user_id == 1
        assert await r.share_codes.get("nope") is None
    clock.advance(days=2)
    async with db.transaction() as tx:
        assert await tx.share_codes.get(another.code) is None
        assert await tx.share_codes.purge_expired() == 1
        assert await tx.share_codes.get(code.code) is not None


async def test_handoffs_retry_and_give_up(db: Database, clock: Any) -> None:
    async with db.transaction() as tx:
        first = await tx.handoffs.add(1, {"question": "нужна консультация"})
        second = await tx.handoffs.add(2, {"question": "help"})
        await tx.handoffs.mark_failed(first, "Forbidden: bot was blocked by the user")
        await tx.handoffs.mark_failed(second, "x" * 1000, give_up=True)
    async with db.read() as r:
        pending = await r.handoffs.pending()
        assert [(h.id, h.attempts, h.status) for h in pending] == [(first, 1, "pending")]
        failed = await r.handoffs.get(second)
        assert failed is not None and failed.status == "failed"
        assert failed.last_error is not None and len(failed.last_error) == 300
    clock.advance(minutes=1)
    async with db.transaction() as tx:
        await tx.handoffs.mark_sent(first)
    async with db.read() as r:
        assert await r.handoffs.pending() == []
        [done] = await r.handoffs.for_user(1)
        assert (done.status, done.attempts, done.last_error) == ("sent", 2, None)
        assert done.payload == {"question": "нужна консультация"}
        assert done.updated_at == clock.now


async def test_one_statement_touch_with_language_and_one_query_load(tmp_path) -> None:
    from bot.storage import Database

    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        async with db.transaction() as tx:
            assert await tx.sessions.get_with_language(42) == (None, None)
            await tx.users.touch(42, language="kk")
            await tx.sessions.save(42, {"lang": "kk"}, "v1")
        async with db.transaction() as tx:
            language, record = await tx.sessions.get_with_language(42)
            assert language == "kk" and record is not None and record.state == {"lang": "kk"}
            await tx.users.touch(42)  # without a language: the stored one stays
            assert (await tx.users.get(42)).language == "kk"
            assert await tx.sessions.delete(42) is True  # row counts still come back
            assert await tx.sessions.delete(42) is False
    finally:
        await db.close()
