"""The fake server against real PTB 22: polling, buttons, edits, media, faults, a real process."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.error import Forbidden, TimedOut
from telegram.ext import Application

from tests.fakeapi.echo_bot import build_application
from tests.fakeapi.server import FakeBotApi
from tests.fakeapi.user import FakeUser

ECHO_BOT = Path(__file__).with_name("echo_bot.py")


@pytest.fixture
async def echo_app(fake_api: FakeBotApi) -> AsyncIterator[Application]:
    # read_timeout=1 keeps the "timeout" fault test short (the fake holds the request 2 s).
    app = build_application(fake_api.token, fake_api.base_url, read_timeout=1.0)
    async with app:  # initialize() -> getMe; it does not run post_init, so call it by hand
        assert app.post_init is not None
        await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


async def test_start_press_and_edit(fake_api: FakeBotApi, echo_app: Application) -> None:
    alice = FakeUser(fake_api, 1001, language_code="kk", first_name="Aigerim")
    await alice.send("/start")
    menu = await alice.wait_reply()
    assert menu.text == "Pick a fruit" and menu.buttons == [["Apple", "Pear"]]
    query_id = await alice.press("Pear")
    edited = await alice.wait_reply()
    assert edited.message_id == menu.message_id  # edited in place, not a new message
    assert edited.text == "You picked pear" and edited.raw_text == "You picked <b>pear</b>"
    assert edited.buttons == []  # an edit without reply_markup removes the keyboard
    assert alice.callback_answer(query_id) == {
        "text": "Got pick:pear",
        "show_alert": False,
        "url": None,
    }
    # getMe at initialize, commands per language from post_init
    assert fake_api.calls_to("getMe")
    for language in ("ru", "kk", "en", ""):
        assert fake_api.commands_for(language) == ["start", "help"]


async def test_echo_escapes_and_media(fake_api: FakeBotApi, echo_app: Application) -> None:
    bob = FakeUser(fake_api, 1002)
    await bob.send("a < b & c")
    assert (await bob.wait_reply()).text == "echo: a < b & c"
    await bob.send_photo(caption="my passport")
    assert (await bob.wait_reply()).text == "got a photo"
    await bob.send_sticker()
    assert (await bob.wait_reply()).text == "got a sticker"
    assert [m.from_bot for m in fake_api.history(bob.id)] == [False, True] * 3
    assert not echo_app.bot_data.get("errors")


async def test_inline_query(fake_api: FakeBotApi, echo_app: Application) -> None:
    carol = FakeUser(fake_api, 1003)
    query_id = await carol.inline("visa")
    results = await fake_api.wait_for(lambda: fake_api.inline_answers[query_id])
    assert [r["title"] for r in results] == ["Say visa"]


async def test_429_is_retried_by_the_rate_limiter(
    fake_api: FakeBotApi, echo_app: Application
) -> None:
    dave = FakeUser(fake_api, 1004)
    fake_api.fail_next("sendMessage", "429", retry_after=1)
    started = time.monotonic()
    await dave.send("hello")
    reply = await dave.wait_reply(timeout=6)
    assert reply.text == "echo: hello"
    assert time.monotonic() - started >= 1.0  # it honoured retry_after
    assert [c.status for c in fake_api.calls_to("sendMessage")] == [429, 200]


@pytest.mark.slow
async def test_500_timeout_and_403_reach_the_error_handler(
    fake_api: FakeBotApi, echo_app: Application
) -> None:
    erin = FakeUser(fake_api, 1005)
    fake_api.fail_next("sendMessage", "timeout", hold=2.0)
    await erin.send("one")
    errors = await fake_api.wait_for(lambda: echo_app.bot_data.get("errors"), timeout=5)
    assert isinstance(errors[0], TimedOut)
    assert erin.messages() == []  # the held request was not performed

    fake_api.fail_next("sendMessage", "500")
    await erin.send("two")
    await fake_api.wait_for(lambda: len(echo_app.bot_data["errors"]) == 2)

    await erin.block()
    await erin.send("three")  # Telegram would not deliver this, but the 403 path is what counts
    await fake_api.wait_for(lambda: len(echo_app.bot_data["errors"]) == 3)
    assert isinstance(echo_app.bot_data["errors"][2], Forbidden)
    assert "blocked by the user" in str(echo_app.bot_data["errors"][2])

    fake_api.blocked.clear()
    await erin.send("four")  # and the bot still works afterwards
    assert (await erin.wait_reply()).text == "echo: four"


async def test_real_process_polls_and_dies_by_sigkill(fake_api: FakeBotApi) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake_api.token,
        "TELEGRAM_BASE_URL": fake_api.base_url,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    frank = FakeUser(fake_api, 1006)
    for attempt in range(2):  # start, kill -9, start again
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(ECHO_BOT), env=env, stderr=asyncio.subprocess.DEVNULL
        )
        try:
            await frank.send(f"ping {attempt}")
            assert (await frank.wait_reply(timeout=15)).text == f"echo: ping {attempt}"
        finally:
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
    # run_polling's start-up sequence, as the real bot will also do it
    methods = [c.method for c in fake_api.calls]
    print(methods)
    assert methods[0] == "getMe"
    assert methods.index("setMyCommands") < methods.index("deleteWebhook")
    assert methods.index("deleteWebhook") < methods.index("getUpdates")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow  # PTB's webhook server retries a refused delivery after seconds
async def test_webhook_mode_checks_the_secret(fake_api: FakeBotApi) -> None:
    app = build_application(fake_api.token, fake_api.base_url)
    port = _free_port()
    async with app:
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"https://127.0.0.1:{port}/hook",
            secret_token="s3cret",
        )
        await app.start()
        try:
            gina = FakeUser(fake_api, 1007)
            await gina.send("over webhook")
            assert (await gina.wait_reply()).text == "echo: over webhook"
            assert fake_api.webhook["secret_token"] == "s3cret"
            # A caller without the right secret is turned away by PTB (403) and retried.
            fake_api.webhook["secret_token"] = "forged"
            await gina.send("forged")
            await fake_api.wait_for(lambda: fake_api.webhook_deliveries[-1][1] == 403)
            assert gina.last_message() is not None
            assert gina.last_message().text == "echo: over webhook"  # type: ignore[union-attr]
            fake_api.webhook["secret_token"] = "s3cret"
            assert (await gina.wait_reply()).text == "echo: forged"
        finally:
            await app.updater.stop()
            await app.stop()
