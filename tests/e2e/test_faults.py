"""Telegram misbehaving while the real process runs: 429, 500, a timeout, 403; and SIGTERM."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.process import BotProcess, query, until
from tests.fakeapi import FakeBotApi, FakeUser

pytestmark = pytest.mark.e2e


def statuses(api: FakeBotApi, chat_id: int) -> list[int]:
    return [c.status for c in api.calls_to("sendMessage") if c.params.get("chat_id") == chat_id]


async def test_the_bot_delivers_through_429_500_and_a_timeout(
    fake_api: FakeBotApi, bot: BotProcess
) -> None:
    kim = FakeUser(fake_api, 8101)

    fake_api.fail_next("sendMessage", "429", retry_after=1)
    started = time.monotonic()
    await kim.send("/start")
    assert "Hello" in ((await kim.wait_reply(timeout=8)).text or "")
    assert time.monotonic() - started >= 1.0  # it waited retry_after
    assert statuses(fake_api, kim.id) == [429, 200]

    fake_api.fail_next("sendMessage", "500")
    await kim.send("/help")
    assert "How to use" in ((await kim.wait_reply(timeout=8)).text or "")
    assert statuses(fake_api, kim.id)[-2:] == [500, 200]

    # Held past the client's 5 s read timeout and not performed: retried once it times out.
    fake_api.fail_next("sendMessage", "timeout", hold=6.0)
    await kim.send("/menu")
    assert "Main menu" in ((await kim.wait_reply(timeout=15)).text or "")
    assert statuses(fake_api, kim.id)[-1] == 200
    assert len(kim.messages()) == 3  # one message per command: nothing lost, nothing doubled


async def test_a_403_is_recorded_as_blocked_and_sigterm_stops_cleanly(
    fake_api: FakeBotApi, bot: BotProcess, tmp_path: Path
) -> None:
    lee = FakeUser(fake_api, 8102)
    await lee.send("/start")
    await lee.wait_reply()
    fake_api.fail_next("sendMessage", "403")
    await lee.send("/help")
    await fake_api.wait_for(lambda: 403 in statuses(fake_api, lee.id))

    def blocked() -> bool:
        return query(tmp_path, "SELECT blocked FROM users WHERE user_id = ?", lee.id) == [(1,)]

    await until(blocked)
    # the user blocks the bot in Telegram: my_chat_member arrives, still recorded as blocked
    await lee.block()
    await until(lambda: query(tmp_path, "SELECT count(*) FROM events WHERE user_id = ? AND "
                                        "kind = 'blocked'", lee.id) == [(2,)])
    assert await bot.stop() == 0

