"""The real Application of the bot, in-process, polling the fake Bot API over loopback HTTP."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.config import Settings
from bot.storage import Database
from bot.telegram.application import SERVICE_KEY, build_application
from bot.telegram.service import BotService
from dialogs.engine import ChatEngine
from tests.fakeapi import FakeBotApi, FakeUser


@dataclass
class Harness:
    api: FakeBotApi
    app: Application
    db_path: Path

    @property
    def service(self) -> BotService:
        return self.app.bot_data[SERVICE_KEY]

    @property
    def db(self) -> Database:
        return self.service.database

    def user(self, user_id: int, language_code: str | None = "en") -> FakeUser:
        return FakeUser(self.api, user_id, language_code=language_code)


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(timeout_hold=2.0) as api:
        yield api
    assert not api.unknown_methods, f"unknown Bot API methods called: {api.unknown_methods}"


@pytest.fixture
async def harness(
    fake_api: FakeBotApi, engine: ChatEngine, tmp_path: Path
) -> AsyncIterator[Harness]:
    settings = Settings(token=fake_api.token, base_url=fake_api.base_url,
                        db_path=tmp_path / "bot.sqlite3")
    # A short read timeout and backoff keep the fault tests quick.
    app = build_application(settings, engine, read_timeout=1.0, backoff=0.05)
    async with running(app, fake_api, settings.db_path) as harness:
        yield harness


@contextlib.asynccontextmanager
async def running(app: Application, api: FakeBotApi, db_path: Path) -> AsyncIterator[Harness]:
    """Run ``app`` as ``run_polling`` would (post_init, polling the fake API, post_shutdown)."""
    async with app:  # initialize(): getMe; post_init is not called by it, so call it here
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=None)
        await app.start()
        try:
            yield Harness(api, app, db_path)
        finally:
            await app.updater.stop()
            await app.stop()
            assert app.post_shutdown is not None
            await app.post_shutdown(app)
