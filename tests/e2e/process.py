"""The real bot as a child process: ``python -m bot run`` with a test environment.

Usage::

    bot = BotProcess(api, tmp_path)
    await bot.start()            # returns once the bot polls the fake Bot API
    await bot.kill()             # SIGKILL, like a crashed host
    await bot.stop()             # SIGTERM, returns the exit code
    print(bot.log())             # its stderr, for failure messages
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from tests.fakeapi import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 20.0  # imports and the knowledge base take ~2 s; generous for slow machines


def bot_env(api: FakeBotApi | None, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The parent's environment without any bot setting, plus the test's own."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BOT_", "TELEGRAM_"))}
    env["PYTHONPATH"] = str(ROOT)
    env["BOT_DB_PATH"] = str(tmp_path / "bot.sqlite3")
    env["BOT_LOG_LEVEL"] = "INFO"
    env["BOT_ENV_FILE"] = os.devnull  # a developer's ./.env must not reach the tests
    if api is not None:
        env["TELEGRAM_BOT_TOKEN"] = api.token
        env["TELEGRAM_BASE_URL"] = api.base_url
    env.update(extra)
    return env


async def run_to_exit(env: dict[str, str], *args: str, timeout: float = 30.0
                      ) -> tuple[int, str]:
    """Run ``python -m bot run ARGS`` until it exits; return (exit code, stderr)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", *args, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await asyncio.wait_for(proc.communicate(), timeout)
    assert proc.returncode is not None
    return proc.returncode, err.decode("utf-8", "replace")


class BotProcess:
    def __init__(self, api: FakeBotApi, tmp_path: Path, *args: str, **extra_env: str) -> None:
        self.api = api
        self.args = args
        self.env = bot_env(api, tmp_path, **extra_env)
        self.log_path = tmp_path / "bot.log"
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self, ready_method: str = "deleteWebhook") -> None:
        """Start the bot and wait until it calls ``ready_method``.

        The fake records a call when it answers, and getUpdates is a long poll, so readiness is
        the deleteWebhook that run_polling sends just before it starts polling (setWebhook for
        the webhook mode). Updates sent from then on are delivered by the next poll."""
        seen = len(self.api.calls_to(ready_method))
        with self.log_path.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", *self.args, env=self.env, cwd=ROOT,
                stdout=log, stderr=log,
            )
        try:
            await self.api.wait_for(
                lambda: len(self.api.calls_to(ready_method)) > seen or self._exited(),
                START_TIMEOUT, message="for the bot to start ",
            )
        except AssertionError:
            raise AssertionError(f"the bot did not start; its log:\n{self.log()}") from None
        if self._exited():
            raise AssertionError(f"the bot exited with {self.proc.returncode}:\n{self.log()}")

    def _exited(self) -> bool:
        return self.proc is not None and self.proc.returncode is not None

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when a host dies."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)
            await self.proc.wait()

    async def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM and wait; returns the exit code."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), timeout)
            except TimeoutError:
                await self.kill()
                raise AssertionError(f"the bot ignored SIGTERM:\n{self.log()}") from None
        assert self.proc.returncode is not None
        return self.proc.returncode

    def log(self) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


async def python_m_bot(env: dict[str, str], *args: str, timeout: float = 30.0
                       ) -> tuple[int, str, str]:
    """Run ``python -m bot ARGS`` to the end; return (exit code, stdout, stderr)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def query(tmp_path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Read the bot's database file from the test (WAL lets readers in while the bot writes)."""
    connection = sqlite3.connect(f"file:{tmp_path / 'bot.sqlite3'}?mode=ro", uri=True, timeout=5)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


async def until(check: Callable[[], bool], timeout: float = 5.0, interval: float = 0.05) -> None:
    """Wait until ``check()`` is true, e.g. a row the bot writes after it has replied."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)
