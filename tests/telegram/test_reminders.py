"""Reminders, in-process over the fake Bot API: planning, storing, /reminders and cancel, sending
(with a shortened clock), blocked users, network retries, restore at start, /forget."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import ConfigError, Settings
from bot.storage import Database
from bot.telegram.application import REMINDERS_KEY, build_application
from bot.telegram.reminders import (
    Planned,
    Reminders,
    cancel_id,
    parse_cancel,
    plan,
    test_delays_from_env,
)
from dialogs.deadlines.clock import kz_zone, today_kz
from dialogs.deadlines.format import format_day
from dialogs.engine import ChatEngine
from dialogs.i18n import translator
from knowledge import KnowledgeBase
from tests.fakeapi import FakeBotApi, FakeUser
from tests.telegram.conftest import Harness, running
from tests.telegram.helpers import eventually, press_shown, texts

UTC = dt.UTC


@pytest.fixture(scope="module")
def engine(kb: KnowledgeBase) -> ChatEngine:
    """The Telegram engine as ``python -m bot run`` builds it: with "Remind me"."""
    return ChatEngine(kb, reminders=True)


def local(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), kz_zone())


# ---- planning ---------------------------------------------------------------------------------


def test_plan_seven_days_and_one_day_before_at_the_local_hour() -> None:
    now = local(dt.date(2026, 11, 26), 4, 17)
    planned = plan(dt.date(2026, 12, 15), now, hour=10)
    assert planned == [Planned("7d", dt.datetime(2026, 12, 8, 5, 0, tzinfo=UTC)),
                       Planned("1d", dt.datetime(2026, 12, 14, 5, 0, tzinfo=UTC))]
    # Asia/Almaty is UTC+5: 10:00 local is 05:00 UTC
    assert planned[0].at.astimezone(kz_zone()).hour == 10


def test_plan_skips_past_reminders_and_falls_back_to_the_day_itself() -> None:
    due = dt.date(2026, 12, 15)
    # 7 days before has passed, 1 day before has not
    assert [p.offset for p in plan(due, local(dt.date(2026, 12, 10)), hour=10)] == ["1d"]
    # both passed (the evening before): one reminder on the day, at the hour
    assert plan(due, local(dt.date(2026, 12, 14), 18), hour=10) == [
        Planned("0d", local(due).astimezone(UTC))]
    # the deadline is today and the hour has passed: at once
    now = local(due, 15)
    assert plan(due, now, hour=10) == [Planned("0d", now)]
    # a deadline in the past: nothing
    assert plan(due, local(dt.date(2026, 12, 16)), hour=10) == []


def test_plan_with_the_test_clock_uses_seconds_after_the_request() -> None:
    now = dt.datetime(2026, 11, 25, 23, 0, tzinfo=UTC)
    assert plan(dt.date(2027, 1, 1), now, hour=10, test_delays=(2.0, 4.5)) == [
        Planned("t1", now + dt.timedelta(seconds=2)),
        Planned("t2", now + dt.timedelta(seconds=4.5))]


def test_test_delays_from_the_environment() -> None:
    assert test_delays_from_env({}) is None
    assert test_delays_from_env({"BOT_REMINDER_TEST_DELAYS": "3s, 1.5"}) == (3.0, 1.5)
    for bad in ("soon", "3s,-1", "1," * 11 + "1"):
        with pytest.raises(ConfigError) as error:
            test_delays_from_env({"BOT_REMINDER_TEST_DELAYS": bad})
        assert "BOT_REMINDER_TEST_DELAYS" in str(error.value)


def test_cancel_button_ids_are_short_and_strict() -> None:
    assert parse_cancel(cancel_id(12)) == 12
    assert len(cancel_id(10**17).encode()) <= 64
    for forged in ("rc:", "rc:0", "rc:-1", "rc:abc", "rc:1:2", "rc:" + "9" * 30, "rc:1 ", "x:1"):
        assert parse_cancel(forged) is None, forged


# ---- in-process bot with a chosen reminder clock ------------------------------------------------


@contextlib.asynccontextmanager
async def running_bot(api: FakeBotApi, engine: ChatEngine, db_path: Path,
                      delays: tuple[float, ...] | None = None,
                      retry_delays: tuple[float, ...] | None = None) -> AsyncIterator[Harness]:
    """Like the ``harness`` fixture, with the reminder clock and retry delays of the test."""
    settings = Settings(token=api.token, base_url=api.base_url, db_path=db_path)
    app = build_application(settings, engine, read_timeout=1.0, backoff=0.05,
                            reminder_test_delays=delays)
    if retry_delays is not None:
        app.bot_data[REMINDERS_KEY].retry_delays = retry_delays
    async with running(app, api, db_path) as harness:
        yield harness


def reminders_of(harness: Harness) -> Reminders:
    return harness.app.bot_data[REMINDERS_KEY]


def jobs(harness: Harness, user_id: int) -> dict[int, dt.datetime]:
    """Reminder id -> run time of the user's scheduled reminder jobs."""
    return {job.data["id"]: job.next_t for job in harness.app.job_queue.jobs("^rem:")
            if job.user_id == user_id}


async def ask_reminder(user: FakeUser) -> str:
    """Deadlines → quota → "Remind me"; returns the confirmation text.

    (The quota calculator needs no date: the date calculators' month calendar has blank
    buttons that the fake Bot API refuses, see the report.)"""
    await user.send("/menu")
    await user.wait_reply()
    await press_shown(user, "dl")
    await user.wait_reply()
    await press_shown(user, "d:quota")
    result = await user.wait_reply()
    await press_shown(user, remind_button(result))
    return (await user.wait_reply()).text or ""


def remind_button(message: Any) -> str:
    return next(b["callback_data"] for b in message.inline_buttons
                if b["callback_data"].startswith("rm:"))


async def pending_rows(harness: Harness, user_id: int) -> list[Any]:
    async with harness.db.read() as r:
        return await r.reminders.pending(user_id=user_id)


# ---- storing, listing, cancelling (the real 7-day / 1-day clock: nothing fires) -----------------


async def test_remind_me_stores_two_reminders_once_and_schedules_them(harness: Harness) -> None:
    user = harness.user(6001)
    confirmation = await ask_reminder(user)
    assert "I will remind you before the deadline" in confirmation
    assert "Reminders: " in confirmation
    rows = await pending_rows(harness, user.id)
    assert [row.payload["offset"] for row in rows] == ["7d", "1d"]
    due = dt.date.fromisoformat(rows[0].payload["due"])
    assert rows[0].payload == {"calculator": "quota", "due": due.isoformat(),
                               "title": "Quota application for next year", "lang": "en",
                               "offset": "7d"}
    assert [row.due_at for row in rows] == [local(due - dt.timedelta(days=days)).astimezone(UTC)
                                           for days in (7, 1)]
    assert jobs(harness, user.id) == {row.id: row.due_at for row in rows}

    await user.press_data(f"rm:quota:{due:%Y%m%d}")  # the same button again
    assert "I will remind you before the deadline" in ((await user.wait_reply()).text or "")
    assert [row.id for row in await pending_rows(harness, user.id)] == [row.id for row in rows]
    async with harness.db.read() as r:
        events = await r.events.list(kind="reminder_requested", user_id=user.id)
    assert [e.data for e in events] == [{"calculator": "quota", "added": 0},
                                        {"calculator": "quota", "added": 2}]


async def test_a_close_deadline_gets_one_reminder_and_says_so(harness: Harness) -> None:
    user = harness.user(6005)
    await user.send("/start")
    await user.wait_reply()
    entry = today_kz() - dt.timedelta(days=1)  # notification due within 3 working days
    await user.press_data(f"rm:arrival:{entry:%Y%m%d}")
    confirmation = (await user.wait_reply()).text or ""
    (row,) = await pending_rows(harness, user.id)
    assert row.payload["offset"] in ("1d", "0d")
    when = row.due_at.astimezone(kz_zone())
    assert when.hour == 10
    assert (f"there will be one reminder: {format_day(when.date(), 'en')} at 10:00."
            in confirmation)


@pytest.mark.slow
async def test_reminders_lists_and_cancels_with_stale_and_forged_buttons(
    harness: Harness,
) -> None:
    user = harness.user(6002)
    await user.send("/reminders")
    empty = await user.wait_reply()
    assert "You have no reminders" in (empty.text or "")

    await ask_reminder(user)
    first, second = await pending_rows(harness, user.id)
    await user.send("/reminders")
    listing = await user.wait_reply()
    text = listing.text or ""
    assert "My reminders" in text and text.count("Quota application for next year") == 2
    cancels = [b for b in listing.inline_buttons if b["callback_data"].startswith("rc:")]
    assert [b["callback_data"] for b in cancels] == [cancel_id(first.id), cancel_id(second.id)]
    assert all(len(b["callback_data"].encode()) <= 64 for b in listing.inline_buttons)

    await press_shown(user, cancel_id(first.id))
    after = await user.wait_reply()
    assert after.message_id == listing.message_id  # edited in place
    assert "Reminder cancelled." in (after.text or "")
    assert [b["callback_data"] for b in after.inline_buttons
            if b["callback_data"].startswith("rc:")] == [cancel_id(second.id)]
    assert [row.id for row in await pending_rows(harness, user.id)] == [second.id]
    assert set(jobs(harness, user.id)) == {second.id}

    # a forged id, the old button once more (after another press: a tap right after the
    # first is a double tap, answered once), another user's reminder: "out of date"
    other = harness.user(6003)
    await ask_reminder(other)
    foreign = (await pending_rows(harness, other.id))[0].id
    for count, data in enumerate(
            ("rc:99999999", cancel_id(first.id), cancel_id(foreign), "rc:x"), 1):
        await user.press_data(data, after.message_id)
        await user.wait_reply()
        assert texts(user).count("This menu is out of date") == count, data
    assert len(await pending_rows(harness, other.id)) == 2
    assert [row.id for row in await pending_rows(harness, user.id)] == [second.id]


async def test_forget_deletes_rows_and_jobs(harness: Harness) -> None:
    user = harness.user(6004)
    await ask_reminder(user)
    assert len(jobs(harness, user.id)) == 2
    await user.send("/forget")
    await user.wait_reply()
    await press_shown(user, "fg:yes")
    await user.wait_reply()
    assert await pending_rows(harness, user.id) == []
    assert jobs(harness, user.id) == {}


async def test_reminders_is_in_the_command_list_of_every_language(harness: Harness) -> None:
    for lang in ("ru", "kk", "en", ""):
        assert "reminders" in harness.api.commands_for(lang), lang


# ---- sending (shortened clock) ------------------------------------------------------------------


@pytest.mark.slow
async def test_reminders_arrive_in_the_stored_language_and_only_once(
    fake_api: FakeBotApi, engine: ChatEngine, tmp_path: Path, kb: KnowledgeBase
) -> None:
    async with running_bot(fake_api, engine, tmp_path / "bot.sqlite3", (2.0, 2.5)) as bot:
        user = bot.user(6010)
        await ask_reminder(user)
        rows = await pending_rows(bot, user.id)
        due = dt.date.fromisoformat(rows[0].payload["due"])
        async with bot.db.transaction() as tx:  # the user switches to Russian meanwhile
            await tx.users.set_language(user.id, "ru")
        title = kb.text(kb.deadlines["quota"].title, "ru")
        first = await user.wait_text(title, timeout=5)
        days_left = (due - today_kz()).days
        ru = translator("ru")
        assert ru.ngettext("{n} day left.", "{n} days left.", days_left).format(
            n=days_left) in (first.text or "")
        assert format_day(due, "ru", "full") in (first.text or "")
        assert ".." not in (first.text or "")  # "2027 г." takes the sentence's period
        assert {b["callback_data"] for b in first.inline_buttons} == {"dl", "menu"}
        await eventually(lambda: _sent_count(bot, user.id, 2), timeout=5)
        reminders = [m for m in user.messages() if title in (m.text or "")]
        assert len(reminders) == 2, [m.text for m in user.messages()]
        assert await pending_rows(bot, user.id) == []
        # a job fired once more (e.g. a duplicate) sends nothing: mark_sent refuses
        job = bot.app.job_queue.run_once(reminders_of(bot).fire, 0, data={"id": rows[0].id},
                                         name=f"rem:{rows[0].id}")
        assert job is not None
        await eventually(lambda: _no_jobs(bot), timeout=2)
        assert len([m for m in user.messages() if title in (m.text or "")]) == 2


async def _sent_count(bot: Harness, user_id: int, count: int) -> bool:
    async with bot.db.read() as r:
        events = await r.events.list(kind="reminder_sent", user_id=user_id)
    return len(events) == count


async def _no_jobs(bot: Harness) -> bool:
    """No reminder job is left (other features keep repeating jobs of their own)."""
    return not [job for job in bot.app.job_queue.jobs() if (job.name or "").startswith("rem:")]


@pytest.mark.slow
async def test_a_user_who_blocked_the_bot_loses_their_reminders(
    fake_api: FakeBotApi, engine: ChatEngine, tmp_path: Path
) -> None:
    async with running_bot(fake_api, engine, tmp_path / "bot.sqlite3", (2.0, 30.0)) as bot:
        # blocked as Telegram tells us (my_chat_member), before the first reminder
        alice = bot.user(6020)
        await ask_reminder(alice)
        await alice.block()
        # blocked without us knowing: the send answers 403
        bob = bot.user(6021)
        await ask_reminder(bob)
        fake_api.blocked.add(bob.id)
        seen = {alice.id: len(alice.messages()), bob.id: len(bob.messages())}

        async def dropped() -> bool:
            return not await pending_rows(bot, alice.id) and not await pending_rows(bot, bob.id)

        await eventually(dropped, timeout=5)
        assert {alice.id: len(alice.messages()), bob.id: len(bob.messages())} == seen
        async with bot.db.read() as r:
            for user in (alice, bob):
                record = await r.users.get(user.id)
                assert record is not None and record.blocked
        assert jobs(bot, alice.id) == {} and jobs(bot, bob.id) == {}


@pytest.mark.slow
async def test_network_errors_are_retried_later(
    fake_api: FakeBotApi, engine: ChatEngine, tmp_path: Path
) -> None:
    async with running_bot(fake_api, engine, tmp_path / "bot.sqlite3", (1.0,),
                           retry_delays=(0.5,)) as bot:
        user = bot.user(6030)
        await ask_reminder(user)
        # more failures than the rate limiter's own quick retries (3): the job gives up
        # this time and tries again 0.5 s later
        fake_api.fail_next("sendMessage", "500", count=4)
        reminder = await user.wait_text("Reminder", timeout=8)
        assert "Quota application for next year" in (reminder.text or "")
        assert len(fake_api.calls_to("sendMessage")) >= 5
        await eventually(lambda: _sent_count(bot, user.id, 1))  # marked after the send
        assert await pending_rows(bot, user.id) == []


@pytest.mark.slow
async def test_a_reminder_that_keeps_failing_is_dropped_after_the_last_retry(
    fake_api: FakeBotApi, engine: ChatEngine, tmp_path: Path
) -> None:
    # The reminder and its retries are due in minutes, so none runs by the clock: the test runs
    # each attempt itself, as the JobQueue would, once the fault is in place.
    retry_delays = (60.0, 300.0)
    async with running_bot(fake_api, engine, tmp_path / "bot.sqlite3", (3600.0,),
                           retry_delays=retry_delays) as bot:
        user = bot.user(6031)
        await ask_reminder(user)
        (reminder_id,) = jobs(bot, user.id)
        # Every send fails, whatever the rate limiter's own quick retries make of it.
        fake_api.fail_next("sendMessage", "500", count=10**6)

        def reminder_sends() -> list[Any]:
            return [call for call in fake_api.calls_to("sendMessage")
                    if "🔔" in str(call.params.get("text", ""))]

        async def dropped() -> list[Any]:
            async with bot.db.read() as r:
                return await r.events.list(kind="reminder_dropped", user_id=user.id)

        for attempt, delay in enumerate((*retry_delays, None)):
            (job,) = bot.app.job_queue.jobs(f"^rem:{reminder_id}$")
            assert job.data == {"id": reminder_id, "attempt": attempt}
            tried = len(reminder_sends())
            job.schedule_removal()  # what the JobQueue does with a due run_once job ...
            started = dt.datetime.now(UTC)
            await job.run(bot.app)  # ... before it runs it: this attempt, to its end
            assert len(reminder_sends()) > tried  # it tried to send, and failed
            if delay is not None:  # retried later, with this retry's delay; not dropped yet
                assert await dropped() == []
                assert [row.id for row in await pending_rows(bot, user.id)] == [reminder_id]
                (next_t,) = jobs(bot, user.id).values()
                assert abs((next_t - started).total_seconds() - delay) < 10
        # after the last retry failed too: dropped, and nothing is left to try
        assert [event.data for event in await dropped()] == [{"reason": "failed"}]
        assert await pending_rows(bot, user.id) == []
        assert jobs(bot, user.id) == {}
        assert {call.status for call in reminder_sends()} == {500}
        assert not any("🔔" in (m.text or "") for m in user.messages())


# ---- restore at start ---------------------------------------------------------------------------


async def test_restart_reschedules_sends_overdue_and_drops_late_ones(
    fake_api: FakeBotApi, engine: ChatEngine, tmp_path: Path
) -> None:
    db_path = tmp_path / "bot.sqlite3"
    now = dt.datetime.now(UTC)
    today = today_kz()
    user = FakeUser(fake_api, 6040, language_code="kk")
    fake_api._register_user(user)  # the chat exists: the user talked to the bot before
    database = await Database.open(db_path)
    try:
        async with database.transaction() as tx:
            await tx.users.set_language(user.id, "kk")

            def payload(due: dt.date, offset: str) -> dict[str, str]:
                return {"calculator": "renewal", "due": due.isoformat(),
                        "title": "Renewing the permit", "lang": "en", "offset": offset}

            overdue = await tx.reminders.add(user.id, "deadline", now - dt.timedelta(hours=2),
                                             payload(today + dt.timedelta(days=1), "1d"))
            late = await tx.reminders.add(user.id, "deadline", now - dt.timedelta(days=3),
                                          payload(today - dt.timedelta(days=1), "1d"))
            future = await tx.reminders.add(user.id, "deadline", now + dt.timedelta(hours=1),
                                            payload(today + dt.timedelta(days=5), "7d"))
    finally:
        await database.close()

    async with running_bot(fake_api, engine, db_path) as bot:
        sent = await user.wait_text("Рұқсатты ұзарту", timeout=5)  # the Kazakh title
        assert format_day(today + dt.timedelta(days=1), "kk", "full") in (sent.text or "")
        await eventually(lambda: _sent_count(bot, user.id, 1))  # marked after the send
        async with bot.db.read() as r:
            assert (await r.reminders.get(overdue)).sent_at is not None  # type: ignore[union-attr]
            assert (await r.reminders.get(late)).cancelled  # type: ignore[union-attr]
            assert (await r.reminders.get(future)).pending  # type: ignore[union-attr]
        assert set(jobs(bot, user.id)) == {future}
        assert len(user.messages()) == 1
