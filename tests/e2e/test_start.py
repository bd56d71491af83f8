"""Start-up: one clear line and the documented exit code for each kind of bad start; the webhook
mode with its secret; SIGTERM ends with 0."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from tests.e2e.process import BotProcess, bot_env, run_to_exit, until
from tests.fakeapi import FakeBotApi, FakeUser

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_bad_starts_exit_with_one_clear_line(fake_api: FakeBotApi, tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("my notes, not a database\n")
    empty_kb = tmp_path / "kb"
    empty_kb.mkdir()
    token_secret = fake_api.token.split(":")[1]
    cases = {
        # name: (environment changes, expected code, words in the last stderr line)
        "no token": ({"TELEGRAM_BOT_TOKEN": ""}, 2, "TELEGRAM_BOT_TOKEN"),
        "bad token shape": ({"TELEGRAM_BOT_TOKEN": f"abc:{token_secret}"}, 2, "malformed"),
        "bad log level": ({"BOT_LOG_LEVEL": "LOUD"}, 2, "BOT_LOG_LEVEL"),
        "bad base url": ({"TELEGRAM_BASE_URL": "ftp://x"}, 2, "TELEGRAM_BASE_URL"),
        "not a database": ({"BOT_DB_PATH": str(not_a_db)}, 2, "not a SQLite database"),
        "broken knowledge": ({"BOT_KNOWLEDGE_DIR": str(empty_kb)}, 1, "will not start"),
        "token refused": ({"TELEGRAM_BOT_TOKEN": "999:WRONG"}, 2, "refused the token"),
        "no Bot API": ({"TELEGRAM_BASE_URL": f"http://127.0.0.1:{_free_port()}/bot"}, 1,
                       "cannot reach the Bot API"),
    }

    async def attempt(name: str) -> tuple[str, int, str]:
        changes, _code, _words = cases[name]
        env = bot_env(fake_api, tmp_path / name.replace(" ", "_"), **changes)
        code, stderr = await run_to_exit(env)
        return name, code, stderr

    for name, code, stderr in await asyncio.gather(*(attempt(n) for n in cases)):
        _changes, expected, words = cases[name]
        lines = stderr.strip().splitlines()
        assert code == expected, (name, stderr)
        assert token_secret not in stderr, name
        assert "Traceback" not in stderr, (name, stderr)
        if name == "broken knowledge":  # the validator's report, its count, then the verdict
            assert words in lines[-1] and "problem" in lines[-2], stderr
            assert lines[:-2] and all(": " in line for line in lines[:-2]), stderr
        else:  # the whole of stderr is one line that names the cause
            assert len(lines) == 1 and words in lines[0], (name, stderr)


async def test_webhook_mode_with_secret_then_sigterm(fake_api: FakeBotApi, tmp_path: Path) -> None:
    port = _free_port()
    bot = BotProcess(
        fake_api, tmp_path, "--webhook",
        BOT_WEBHOOK_URL=f"https://127.0.0.1:{port}/tg/hook",
        BOT_WEBHOOK_LISTEN="127.0.0.1",
        BOT_WEBHOOK_PORT=str(port),
        BOT_WEBHOOK_SECRET="s3cret-Token_1-0123456789",
    )
    await bot.start(ready_method="setWebhook")
    try:
        assert fake_api.webhook["secret_token"] == "s3cret-Token_1-0123456789"
        uma = FakeUser(fake_api, 8201)
        await uma.send("/start")
        assert "Hello" in ((await uma.wait_reply(timeout=10)).text or "")
        # a caller without the secret is turned away
        fake_api.webhook["secret_token"] = "forged"
        await uma.send("/help")
        # (a failed delivery does not wake wait_for, so poll)
        await until(lambda: fake_api.webhook_deliveries[-1][1] == 403)
        fake_api.webhook["secret_token"] = "s3cret-Token_1-0123456789"
        assert "How to use" in ((await uma.wait_reply(timeout=10)).text or "")
        assert await bot.stop() == 0
    finally:
        await bot.kill()
    assert "s3cret-Token_1-0123456789" not in bot.log()
