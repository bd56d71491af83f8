"""End-to-end fixtures: the fake Bot API in the test's event loop and the real bot process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.process import BotProcess
from tests.fakeapi import FakeBotApi


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        yield api
    assert not api.unknown_methods, f"unknown Bot API methods called: {api.unknown_methods}"


@pytest.fixture
async def bot(fake_api: FakeBotApi, tmp_path: Path) -> AsyncIterator[BotProcess]:
    """The bot, started and polling; killed at the end whatever happened."""
    process = BotProcess(fake_api, tmp_path)
    await process.start()
    try:
        yield process
    finally:
        await process.kill()
        # A token must never reach the log, whatever the test did.
        assert fake_api.token.split(":")[1] not in process.log()
