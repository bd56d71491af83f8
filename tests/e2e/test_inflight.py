"""#17 point 9: kill -9 with updates received but not yet handled, and with a reply committed
but not sent. The updates were confirmed to Telegram (by the next getUpdates, or by the webhook's
"200 OK"), so PTB's own polling and webhook server never saw them again; the bot's inbox answers
them after the restart, in order, once, and its outbox sends the committed reply first."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.process import BotProcess, query, until
from tests.fakeapi import FakeBotApi, FakeUser

pytestmark = pytest.mark.e2e

QUESTIONS = 12
SECRET = "s3cret-Token_1-0123456789"


def _webhook_bot(fake_api: FakeBotApi, tmp_path: Path) -> tuple[BotProcess, int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    return BotProcess(
        fake_api, tmp_path, "--webhook",
        BOT_WEBHOOK_URL=f"https://127.0.0.1:{port}/tg/hook",
        BOT_WEBHOOK_LISTEN="127.0.0.1",
        BOT_WEBHOOK_PORT=str(port),
        BOT_WEBHOOK_SECRET=SECRET,
    ), port


async def test_updates_in_flight_at_a_kill_are_answered_after_the_restart(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    await _kill_with_updates_in_flight(fake_api, tmp_path, BotProcess(fake_api, tmp_path))


async def test_webhook_updates_in_flight_at_a_kill_are_answered_after_the_restart(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    """PTB's run_webhook answered 200 before handling: the same kill lost every queued update."""
    bot, _ = _webhook_bot(fake_api, tmp_path)
    await _kill_with_updates_in_flight(fake_api, tmp_path, bot, ready="setWebhook")


async def _kill_with_updates_in_flight(fake_api: FakeBotApi, tmp_path: Path, bot: BotProcess,
                                       ready: str = "deleteWebhook") -> None:
    dana = FakeUser(fake_api, 8301, language_code="en")
    await bot.start(ready_method=ready)
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
        # The first turn is committed and its reply hangs: it waits in the outbox.
        assert query(tmp_path, "SELECT count(*) FROM outbox")[0][0] == 1
        await bot.kill()

        fake_api.clear_faults()
        before = len(fake_api.sent_to(dana.id))
        await bot.start(ready_method=ready)
        # The committed turn's reply (from the outbox), then one reply per queued update.
        await fake_api.wait_for(lambda: len(fake_api.sent_to(dana.id)) - before >= QUESTIONS + 1,
                                20.0, message="for the replies to the queued updates ")
        # Each once: nothing more comes, and neither table keeps any text.
        await asyncio.sleep(1.0)
        replies = fake_api.sent_to(dana.id)[before:]
        assert len(replies) == QUESTIONS + 1
        assert all("How to use" in (reply.text or "") for reply in replies)
        assert query(tmp_path, "SELECT count(*) FROM outbox")[0][0] == 0
        assert query(tmp_path, "SELECT count(*) FROM inbox WHERE handled = 0")[0][0] == 0
        assert query(tmp_path, "SELECT count(*) FROM inbox WHERE payload != ''")[0][0] == 0
    finally:
        await bot.kill()


async def test_an_update_delivered_again_is_answered_once(fake_api: FakeBotApi,
                                                           tmp_path: Path) -> None:
    """Telegram delivers an update again when the "200 OK" did not reach it: stored once, the
    second delivery is answered 200 and not handled."""
    bot, port = _webhook_bot(fake_api, tmp_path)
    await bot.start(ready_method="setWebhook")
    try:
        erin = FakeUser(fake_api, 8302, language_code="en")
        fake_api.webhook_lost_answers = 1
        await erin.send("/help")
        await erin.wait_reply(timeout=10)
        await until(lambda: len(fake_api.webhook_deliveries) >= 2 and fake_api.pending_updates == 0)
        first, second = fake_api.webhook_deliveries[-2:]
        assert first[0] == second[0] and second[1] == 200  # the same update, twice
        await asyncio.sleep(1.0)
        assert len(fake_api.sent_to(erin.id)) == 1
        # Calls that are not Telegram's updates: refused, or answered and dropped; the bot goes on.
        url = f"http://127.0.0.1:{port}/tg/hook"
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with aiohttp.ClientSession() as session:
            for body, secret, status in ((b"not json", SECRET, 400), (b"[1, 2]", SECRET, 400),
                                         (b'{"update_id": "x"}', SECRET, 200),
                                         (b'{"update_id": 5}', "forged", 403)):
                async with session.post(url, data=body, headers={**headers,
                        "X-Telegram-Bot-Api-Secret-Token": secret}) as response:
                    assert response.status == status, (body, response.status)
            async with session.get(url, headers=headers) as response:
                assert response.status == 405
        await erin.send("/start")
        assert "Hello" in ((await erin.wait_reply(timeout=10)).text or "")
        assert await bot.stop() == 0
    finally:
        await bot.kill()
    assert SECRET not in bot.log()
