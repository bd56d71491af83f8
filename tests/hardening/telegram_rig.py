"""The production Telegram Application in-process, fed raw update payloads, every Bot API call
recorded and checked the way Telegram would check it.

The Application is built exactly as ``python -m bot run`` builds it (``build_application`` with
``Settings`` and a real SQLite file), on the benchmark's instant request layer
(:class:`bench.telegram_bench.InstantRequest`). A test error handler records every exception
that escapes a handler; the service's own error handler still runs (and apologises).

Usage (synchronous, so hypothesis can drive it example after example)::

    with TelegramRig(tmp_path, engine) as rig:
        calls = rig.feed({"update_id": 1, "message": {...}})
        rig.assert_clean(calls)           # no handler error, valid HTML, <= 4096 characters
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes

from bench.telegram_bench import (
    BOT_ID,
    BOT_USERNAME,
    InstantRequest,
    bench_settings,
    our_application,
    start,
    stop,
)
from bot.config import Settings
from bot.storage import Database
from bot.telegram.application import SERVICE_KEY
from dialogs.engine import ChatEngine
from tests.fakeapi.markup import check_reply_markup, render_text

SENDING = ("sendMessage", "editMessageText")


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))


class TelegramRig:
    def __init__(self, folder: Path, engine: ChatEngine, **settings: Any) -> None:
        self.calls: list[Call] = []
        self.errors: list[BaseException] = []
        self.request = InstantRequest(on_call=self._record)
        self.db_path = folder / "bot.sqlite3"
        self.settings: Settings = bench_settings(self.db_path, **settings)
        self.app: Application = our_application(self.db_path, engine, self.request,
                                                self.settings)
        self.app.add_error_handler(self._on_error)
        self.runner = asyncio.Runner()
        self.ids = itertools.count(1)

    def __enter__(self) -> TelegramRig:
        self.runner.run(start(self.app))
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.runner.run(stop(self.app))
        finally:
            self.runner.close()

    # ---- feeding ---------------------------------------------------------------------------

    def feed(self, payload: dict[str, Any]) -> list[Call]:
        """Process one update (``update_id`` added if missing); the Bot API calls it made."""
        payload = {"update_id": next(self.ids), **payload}
        before = len(self.calls)
        update = Update.de_json(payload, self.app.bot)
        self.runner.run(self.app.process_update(update))
        return self.calls[before:]

    def text(self, user_id: int, text: str, lang: str | None = "en") -> list[Call]:
        return self.feed({"message": self.message(user_id, text, lang)})

    def press(self, user_id: int, data: str, lang: str | None = "en") -> list[Call]:
        return self.feed({"callback_query": {
            "id": str(next(self.ids)), "chat_instance": "ci", "data": data,
            "from": user(user_id, lang), "message": bot_message(user_id),
        }})

    def message(self, user_id: int, text: str, lang: str | None = "en") -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self.ids), "date": int(time.time()), "text": text,
            "chat": {"id": user_id, "type": "private", "first_name": "Test"},
            "from": user(user_id, lang),
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0]) if text.split() else 1}]
        return message

    def run(self, coroutine: Any) -> Any:
        """Run a coroutine on the rig's event loop (e.g. a database query)."""
        return self.runner.run(coroutine)

    @property
    def database(self) -> Database:
        return self.app.bot_data[SERVICE_KEY].database

    # ---- checks ------------------------------------------------------------------------------

    def assert_clean(self, calls: list[Call]) -> None:
        """No handler raised, and every message is one Telegram would accept."""
        assert not self.errors, f"a handler raised: {self.errors!r}"
        for call in calls:
            if call.method in SENDING:
                # Raises TelegramBadRequest on invalid HTML, empty text or > 4096 characters.
                render_text(call.params.get("text"), call.params.get("parse_mode"))
                check_reply_markup(call.params.get("reply_markup"))

    def _record(self, method: str, params: dict[str, Any]) -> None:
        self.calls.append(Call(method, params))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert context.error is not None
        self.errors.append(context.error)


def user(user_id: int, lang: str | None = "en") -> dict[str, Any]:
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Test"}
    if lang is not None:
        data["language_code"] = lang
    return data


def bot_message(chat_id: int, message_id: int = 1) -> dict[str, Any]:
    """A message of the bot in the user's private chat (what a button sits under)."""
    return {"message_id": message_id, "date": int(time.time()), "text": "…",
            "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Bot",
                     "username": BOT_USERNAME}}


def replies_to(calls: list[Call], chat_id: int) -> list[Call]:
    return [c for c in calls if c.method in SENDING and c.chat_id == chat_id]
