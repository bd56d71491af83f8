"""#17 point 9: kill -9 with updates fetched but not yet handled. They were confirmed to
Telegram, so PTB's own polling never saw them again; the bot's inbox answers them after the
restart, in order."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.e2e.process import BotProcess, query
from tests.fakeapi import FakeBotApi, FakeUser

pytestmark = pytest.mark.e2e

QUESTIONS = 12


async def test_updates_in_flight_at_a_kill_are_answered_after_the_restart(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    bot = BotProcess(fake_api, tmp_path)
    dana = FakeUser(fake_api, 8301, language_code="en")
    await bot.start()
    try:
        # Every send hangs: the first turn waits on its reply, the rest queue behind it (one
        # user's updates are handled in order), fetched and confirmed but not handled.
        fake_api.fail_next("sendMessage", "timeout", count=1000, hold=60.0)
        await dana.send("/help")
        for number in range(QUESTIONS):
            await dana.send(f"/help {number}")
        await fake_api.wait_for(lambda: fake_api.pending_updates == 0, 10.0,
                                message="for the bot to fetch (and confirm) every update ")
        await asyncio.sleep(0.5)
        stored = query(tmp_path, "SELECT count(*) FROM inbox WHERE handled = 0")[0][0]
        assert stored >= QUESTIONS, stored  # the queued ones are on disk, not only in memory
        await bot.kill()

        fake_api.clear_faults()
        before = len(fake_api.sent_to(dana.id))
        await bot.start()
        await fake_api.wait_for(lambda: len(fake_api.sent_to(dana.id)) - before >= QUESTIONS,
                                20.0, message="for the replies to the queued updates ")
        # Handled once each: nothing more comes, and the inbox keeps no text.
        await asyncio.sleep(1.0)
        assert len(fake_api.sent_to(dana.id)) - before == QUESTIONS
        assert query(tmp_path, "SELECT count(*) FROM inbox WHERE handled = 0")[0][0] == 0
        assert query(tmp_path, "SELECT count(*) FROM inbox WHERE payload != ''")[0][0] == 0
    finally:
        await bot.kill()
