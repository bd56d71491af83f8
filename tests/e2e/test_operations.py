"""What an operator runs beside the bot: ``healthcheck`` and ``backup``, as real processes
against the loopback Bot API, with the bot running on the same database."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.storage import Database
from tests.e2e.process import BotProcess, bot_env, python_m_bot
from tests.fakeapi import FakeBotApi, FakeUser

pytestmark = pytest.mark.e2e


async def test_healthcheck_passes_on_a_good_installation_and_names_each_failure(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    token_secret = fake_api.token.split(":")[1]
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("not a database", encoding="utf-8")
    empty_kb = tmp_path / "kb"
    empty_kb.mkdir()
    cases = {
        # name: (environment changes, expected exit code, the line that must appear)
        "good": ({}, 0, None),
        "token refused": ({"TELEGRAM_BOT_TOKEN": "999:WRONG"}, 1,
                          "FAIL Bot API: Telegram refused the token"),
        "broken knowledge": ({"BOT_KNOWLEDGE_DIR": str(empty_kb)}, 1, "FAIL knowledge base: "),
        "not a database": ({"BOT_DB_PATH": str(not_a_db)}, 1, "FAIL database: "),
        "no token": ({"TELEGRAM_BOT_TOKEN": ""}, 2, "FAIL settings: TELEGRAM_BOT_TOKEN"),
    }

    async def attempt(name: str) -> tuple[str, int, str, str]:
        env = bot_env(fake_api, tmp_path / name.replace(" ", "_"), **cases[name][0])
        return name, *await python_m_bot(env, "healthcheck")

    for name, code, out, err in await asyncio.gather(*(attempt(n) for n in cases)):
        _changes, expected, line = cases[name]
        lines = out.splitlines()
        assert code == expected and err == "", (name, out, err)
        assert token_secret not in out, name
        if line is None:
            assert [ln.split(":")[0] for ln in lines] == [
                "ok   settings", "ok   knowledge base", "ok   database", "ok   Bot API"], out
            assert "@" + fake_api.bot_user["username"] in lines[-1], out
        else:
            assert any(ln.startswith(line) for ln in lines), (name, out)
            # a failure stops nothing else: the other checks still report (except bad settings)
            assert len(lines) == (1 if expected == 2 else 4), (name, out)


async def test_backup_while_the_bot_runs_is_a_checked_copy_that_never_overwrites(
    bot: BotProcess, fake_api: FakeBotApi, tmp_path: Path
) -> None:
    user = FakeUser(fake_api, 7301, language_code="en")
    await user.send("/start")
    await user.wait_reply(timeout=10)
    env = bot_env(None, tmp_path)
    target = tmp_path / "backups" / "bot-copy.sqlite3"
    target.parent.mkdir()

    code, out, err = await python_m_bot(env, "backup", str(target))
    assert code == 0, err
    assert out.startswith("backed up ") and "1 users" in out and "integrity ok" in out, out
    await user.send("/help")  # the bot keeps serving after the backup
    await user.wait_reply(timeout=10)

    # The copy is one self-contained file this bot opens, with the user in it.
    assert not (target.parent / (target.name + "-wal")).exists()
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT user_id FROM users").fetchall() == [(7301,)]
    copy.close()
    async with await Database.open(target) as restored:
        assert await restored.schema_version() >= 1

    again = await python_m_bot(env, "backup", str(target))
    assert again[0] == 2 and "already exists" in again[2] and again[2].count("\n") == 1, again
    missing = await python_m_bot(bot_env(None, tmp_path / "nowhere"), "backup",
                                 str(tmp_path / "other.sqlite3"))
    assert missing[0] == 2 and missing[2].startswith("no database at "), missing
    assert not (tmp_path / "other.sqlite3").exists()
