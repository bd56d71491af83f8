"""#17 point 2: a second SIGTERM during shutdown (a send is slow) still ends the process, with
the database closed, within 10 seconds."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import pytest

from tests.e2e.process import BotProcess
from tests.fakeapi import FakeBotApi, FakeUser

pytestmark = pytest.mark.e2e


async def test_a_second_sigterm_during_a_slow_send_still_exits(
    fake_api: FakeBotApi, bot: BotProcess, tmp_path: Path
) -> None:
    ann = FakeUser(fake_api, 8201)
    fake_api.fail_next("sendMessage", "timeout", count=50, hold=30.0)  # every send hangs
    await ann.send("/start")
    await asyncio.sleep(1.5)  # the turn is now waiting on its send
    assert bot.proc is not None
    bot.proc.send_signal(signal.SIGTERM)
    await asyncio.sleep(0.5)
    started = time.monotonic()
    bot.proc.send_signal(signal.SIGTERM)  # impatient: a service manager, or Ctrl+C twice
    try:
        await asyncio.wait_for(bot.proc.wait(), 10.0)
    except TimeoutError:
        raise AssertionError(f"the bot hung after a second SIGTERM:\n{bot.log()}") from None
    assert time.monotonic() - started < 10.0
    log = bot.log()
    assert "1 update(s) in progress cancelled" in log, log[-2000:]
    assert "database closed" in log, log[-2000:]  # post_shutdown ran
    assert bot.proc.returncode == 0
