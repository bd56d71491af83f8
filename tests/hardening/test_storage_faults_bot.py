"""Storage faults at the level of the bot: the real ``python -m bot run`` process.

At start, a database that is read-only (a read-only file system), locked by another process,
corrupt, or on a full disk: the bot exits with code 2 and one line on stderr that names the cause,
and the file is left as it was. While running, a full disk or a lock held by another process: the
user gets the apology in their language, nothing of the failed step is stored (one transaction),
nothing stored before is lost, and once the fault is gone the same press works.

Read-only and full disks are small tmpfs mounts (root only; skipped elsewhere). The running
cases talk to the loopback fake Bot API (tests/fakeapi).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from dialogs import commands
from tests.e2e.process import BotProcess, bot_env, run_to_exit
from tests.fakeapi import FakeBotApi, FakeUser

pytestmark = pytest.mark.e2e

TOKEN = "123456789:FAULTS-token_not_real"


# ---- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs of its own, so the test can fill it or make it read-only."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
                          capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        yield api


def fill(folder: Path) -> Path:
    """Fill the file system of ``folder`` to the last byte; returns the filler file."""
    filler = folder / f"filler-{uuid.uuid4().hex}"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 512, 1):  # down to the last partial block
            try:
                while True:
                    os.write(handle, b"\0" * size)
            except OSError as error:
                assert error.errno == errno.ENOSPC, error
    finally:
        os.close(handle)
    return filler


def make_database(path: Path) -> None:
    """A bot database with one user who is in the middle of an interview."""
    env = {**bot_env(None, path.parent, TELEGRAM_BOT_TOKEN=TOKEN), "BOT_DB_PATH": str(path)}
    script = (
        "import asyncio\n"
        "from bot.storage import Database\n"
        "async def main():\n"
        f"    db = await Database.open({str(path)!r})\n"
        "    async with db.transaction() as tx:\n"
        "        await tx.users.touch(1)\n"
        "        await tx.sessions.save(1, {'lang': 'ru'}, 'kb')\n"
        "    await db.close()\n"
        "asyncio.run(main())\n"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True,
                   cwd=Path(__file__).resolve().parents[2])
    checkpoint(path)


def checkpoint(path: Path) -> None:
    """Move everything from the WAL into the main file, so its bytes say what is stored."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


async def start_fails(path: Path, tmp_path: Path) -> tuple[int, list[str]]:
    """Start the bot on ``path`` (the Bot API answers, so the database is what fails)."""
    async with FakeBotApi() as api:
        env = bot_env(api, tmp_path, BOT_DB_PATH=str(path), BOT_LOG_LEVEL="WARNING")
        code, stderr = await run_to_exit(env)
    return code, stderr.strip().splitlines()


def assert_one_clear_line(code: int, lines: list[str], *causes: str) -> None:
    """Exit code 2 and one line on stderr that names one of the ``causes``."""
    assert code == 2, lines
    assert len(lines) == 1, lines  # one line, no traceback
    assert lines[0].startswith("storage error: "), lines
    assert any(cause in lines[0] for cause in causes), lines


# ---- at start --------------------------------------------------------------------------------


async def test_read_only_file_system_at_start(small_disk: Path, tmp_path: Path) -> None:
    path = small_disk / "bot.sqlite3"
    make_database(path)
    before = path.read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    code, lines = await start_fails(path, tmp_path)
    # SQLite cannot make the WAL's -shm file there, so it says "cannot open ... writable".
    assert_one_clear_line(code, lines, "read-only", "writable")
    assert path.read_bytes() == before


async def test_read_only_folder_for_a_new_database(small_disk: Path, tmp_path: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    code, lines = await start_fails(small_disk / "data" / "bot.sqlite3", tmp_path)
    assert_one_clear_line(code, lines, "cannot create the folder")


async def test_locked_by_another_process_at_start(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    make_database(path)
    other = sqlite3.connect(path, isolation_level=None)  # this test process is the other one
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        code, lines = await start_fails(path, tmp_path)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert_one_clear_line(code, lines, "locked by another process")


async def test_corrupt_database_at_start(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    make_database(path)
    data = bytearray(path.read_bytes())
    data[100:] = os.urandom(len(data) - 100)  # the header survives, the pages do not
    path.write_bytes(bytes(data))
    code, lines = await start_fails(path, tmp_path)
    assert_one_clear_line(code, lines, "corrupt")
    assert path.read_bytes() == bytes(data)


async def test_full_disk_at_start(small_disk: Path, tmp_path: Path) -> None:
    fill(small_disk)
    path = small_disk / "bot.sqlite3"
    code, lines = await start_fails(path, tmp_path)
    assert_one_clear_line(code, lines, "disk is full")


# ---- while running ---------------------------------------------------------------------------


def stored(path: Path) -> tuple[object, ...]:
    """What the bot stores about user 8301 (the session and the events), read from outside."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        session = connection.execute(
            "SELECT state FROM sessions WHERE user_id = 8301").fetchall()
        events = connection.execute(
            "SELECT kind, data FROM events WHERE user_id = 8301 ORDER BY id").fetchall()
        return tuple(session), tuple(events)
    finally:
        connection.close()


async def interview_started(api: FakeBotApi, tmp_path: Path, db: Path, lang: str
                            ) -> tuple[BotProcess, FakeUser]:
    bot = BotProcess(api, tmp_path, BOT_DB_PATH=str(db))
    await bot.start()
    user = FakeUser(api, 8301, language_code=lang)
    await user.send("/start")
    await user.wait_reply(timeout=10)
    await user.press_data("m:worker", user.keyboard_message().message_id)
    await user.wait_reply(timeout=10)
    return bot, user


async def press_first_answer(user: FakeUser, timeout: float = 15.0) -> tuple[str, str]:
    """Press the first answer shown; (the newest message, the question message) afterwards.

    A failed step sends the apology as a new message; a step that works edits the question
    message in place into the next question."""
    message = user.keyboard_message()
    assert message is not None
    data = next(b["callback_data"] for b in message.inline_buttons
                if str(b.get("callback_data", "")).startswith("a:"))
    await user.press_data(data, message.message_id)
    newest = (await user.wait_reply(timeout=timeout)).text or ""
    question = user.keyboard_message()
    assert question is not None
    return newest, question.text or ""


async def test_full_disk_while_running_apologises_and_keeps_the_data(
    fake_api: FakeBotApi, small_disk: Path, tmp_path: Path
) -> None:
    db = small_disk / "bot.sqlite3"
    bot, user = await interview_started(fake_api, tmp_path, db, "ru")
    try:
        before = stored(db)
        filler = fill(small_disk)
        newest, question = await press_first_answer(user)
        assert newest == commands.apology("ru")  # in the user's language
        assert stored(db) == before  # nothing of the failed step, nothing lost
        assert "disk is full" in bot.log()
        filler.unlink()
        _newest, next_question = await press_first_answer(user)  # the same press works again
        assert next_question != question
        assert stored(db) != before
    finally:
        await bot.kill()
    assert fake_api.token.split(":")[1] not in bot.log()


async def test_lock_held_by_another_process_while_running_apologises(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "data" / "bot.sqlite3"
    bot, user = await interview_started(fake_api, tmp_path, db, "kk")
    try:
        before = stored(db)
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # the write lock, for longer than the 5 s busy timeout
        try:
            newest, question = await press_first_answer(user, timeout=20)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert newest == commands.apology("kk")
        assert stored(db) == before
        assert "locked by another process" in bot.log()
        _newest, next_question = await press_first_answer(user)
        assert next_question != question
        assert stored(db) != before
    finally:
        await bot.kill()
    assert fake_api.token.split(":")[1] not in bot.log()
