"""Reminders against the real process (``python -m bot run``) and the loopback Bot API, with the
shortened clock BOT_REMINDER_TEST_DELAYS (seconds after the request instead of 7 days and 1 day
before the deadline): a reminder stored before a kill -9 is delivered after the restart, a
reminder of a user who blocked the bot is dropped, and cancelling from /reminders works."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from tests.e2e.process import BotProcess, query, until
from tests.fakeapi import ChatMessage, FakeBotApi, FakeUser
from tests.telegram.helpers import press_shown

pytestmark = pytest.mark.e2e

PENDING = "SELECT id FROM reminders WHERE user_id = ? AND sent_at IS NULL AND cancelled = 0 " \
          "ORDER BY due_at"


async def ask_reminder(user: FakeUser) -> None:
    """Deadlines → quota → "🔔 Remind me", as a user presses them."""
    await user.send("/menu")
    await user.wait_reply(timeout=10)
    await press_shown(user, "dl")
    await user.wait_reply()
    await press_shown(user, "d:quota")
    result = await user.wait_reply()
    remind = next(b["callback_data"] for b in result.inline_buttons
                  if b["callback_data"].startswith("rm:"))
    await press_shown(user, remind)
    await user.wait_reply()


def reminders_seen(user: FakeUser, title: str) -> list[ChatMessage]:
    return [m for m in user.messages() if "🔔" in (m.text or "") and title in (m.text or "")]


async def test_a_reminder_stored_before_a_restart_is_delivered_after_it(
    fake_api: FakeBotApi, tmp_path: Path, kb: KnowledgeBase
) -> None:
    bot = BotProcess(fake_api, tmp_path, BOT_REMINDER_TEST_DELAYS="2s,20s")
    user = FakeUser(fake_api, 8101, language_code="ru")
    title = kb.text(kb.deadlines["quota"].title, "ru")
    await bot.start()
    try:
        await ask_reminder(user)
        requested = time.monotonic()
        assert len(query(tmp_path, PENDING, user.id)) == 2
        await bot.kill()
        await asyncio.sleep(2.5)  # the first reminder falls due while the bot is down
        assert reminders_seen(user, title) == []

        await bot.start()
        # the overdue one is sent at once after the start...
        # (the second is due 20 s in: room for a restart on a loaded machine, which took 8 s)
        await until(lambda: len(reminders_seen(user, title)) == 1, timeout=15)
        assert time.monotonic() - requested < 19
        # ...the other one at its own time, by the job re-created from the table
        await until(lambda: len(reminders_seen(user, title)) == 2, timeout=25)
        # (not at the restart, about 5 s in; due_at is stored in whole seconds, hence the slack)
        assert time.monotonic() - requested >= 18
        first = reminders_seen(user, title)[0]
        assert "Главное меню" in {label for row in first.buttons for label in row}
        await until(lambda: not query(tmp_path, PENDING, user.id))  # marked sent
    finally:
        await bot.kill()
    sent = query(tmp_path, "SELECT count(*) FROM reminders WHERE user_id = ? AND "
                 "sent_at IS NOT NULL", user.id)
    assert sent == [(2,)]
    assert "ERROR" not in bot.log(), bot.log()


async def test_a_reminder_of_a_user_who_blocked_the_bot_is_dropped(
    fake_api: FakeBotApi, tmp_path: Path, kb: KnowledgeBase
) -> None:
    bot = BotProcess(fake_api, tmp_path, BOT_REMINDER_TEST_DELAYS="3s")
    user = FakeUser(fake_api, 8102, language_code="en")
    await bot.start()
    try:
        await ask_reminder(user)
        (row,) = query(tmp_path, PENDING, user.id)
        await user.block()
        await until(lambda: query(tmp_path, "SELECT cancelled FROM reminders WHERE id = ?",
                                  row[0]) == [(1,)], timeout=10)
        assert query(tmp_path, "SELECT blocked FROM users WHERE user_id = ?", user.id) == [(1,)]
        assert reminders_seen(user, kb.text(kb.deadlines["quota"].title, "en")) == []
    finally:
        await bot.kill()


async def test_cancel_from_the_reminders_list(
    fake_api: FakeBotApi, tmp_path: Path, kb: KnowledgeBase
) -> None:
    bot = BotProcess(fake_api, tmp_path, BOT_REMINDER_TEST_DELAYS="3s,5s")
    user = FakeUser(fake_api, 8103, language_code="kk")
    title = kb.text(kb.deadlines["quota"].title, "kk")
    await bot.start()
    try:
        await ask_reminder(user)
        first, second = (row[0] for row in query(tmp_path, PENDING, user.id))
        await user.send("/reminders")
        listing = await user.wait_reply()
        assert (listing.text or "").count(title) == 2
        await press_shown(user, f"rc:{first}")
        after = await user.wait_reply()
        assert after.message_id == listing.message_id
        assert [b["callback_data"] for b in after.inline_buttons
                if b["callback_data"].startswith("rc:")] == [f"rc:{second}"]
        await until(lambda: len(reminders_seen(user, title)) == 1, timeout=10)
        await until(lambda: not query(tmp_path, PENDING, user.id))
        await asyncio.sleep(0.5)
        assert len(reminders_seen(user, title)) == 1
        assert query(tmp_path, "SELECT id, cancelled, sent_at IS NOT NULL FROM reminders "
                     "WHERE user_id = ? ORDER BY id", user.id) == [(first, 1, 0), (second, 0, 1)]
    finally:
        await bot.kill()
