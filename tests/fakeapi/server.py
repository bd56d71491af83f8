"""A stateful fake of the Telegram Bot API on 127.0.0.1, for end-to-end tests.

The bot under test talks to it over real HTTP (``base_url=f"{api.base_url}"``, i.e.
``http://127.0.0.1:<port>/bot``); the test plays the users through the Python control API in the
same event loop. Responses follow Telegram's format (``{"ok": true, "result": ...}`` or
``{"ok": false, "error_code": ..., "description": ...}``), message ids are per chat, ``date`` is
in seconds, callback queries carry ``chat_instance``, edits are applied to the stored messages.

Usage::

    async with FakeBotApi(token="123456:TEST") as api:
        # start the bot with TELEGRAM_BASE_URL=api.base_url, TELEGRAM_BOT_TOKEN=api.token
        api.user_sends_text(alice, "/start")
        await api.wait_for(lambda: api.sent_to(alice.id))
        api.fail_next("sendMessage", "429", retry_after=1)
        assert not api.unknown_methods

Methods: getMe, getUpdates (long poll, offset), setWebhook/deleteWebhook/getWebhookInfo (with
delivery to the webhook URL and the secret header), sendMessage, editMessageText,
editMessageReplyMarkup, deleteMessage, answerCallbackQuery, sendChatAction, set/getMyCommands,
set/getMyDescription, set/getMyShortDescription, answerInlineQuery, close, logOut. Any other
method answers 404 like Telegram and is listed in ``unknown_methods``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import aiohttp
from aiohttp import web

from tests.fakeapi.markup import TelegramBadRequest, check_reply_markup, render_text
from tests.fakeapi.params import BadParams, read_params

logger = logging.getLogger(__name__)
T = TypeVar("T")

FAULT_KINDS = ("429", "500", "timeout", "403", "400")
BLOCKED = "Forbidden: bot was blocked by the user"
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


@dataclass(frozen=True)
class TgUser:
    """A Telegram user as the fake knows them (``FakeUser`` has the same attributes)."""

    id: int
    first_name: str = "Test"
    language_code: str | None = "en"
    username: str | None = None
    last_name: str | None = None


def user_json(user: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": user.id, "is_bot": False, "first_name": user.first_name}
    for key in ("last_name", "username", "language_code"):
        value = getattr(user, key, None)
        if value:
            data[key] = value
    return data


@dataclass
class ChatMessage:
    """A message in a chat, as the user currently sees it (edits applied)."""

    chat_id: int
    message_id: int
    from_bot: bool
    date: int
    text: str | None = None  # plain text (HTML tags removed, entities unescaped)
    raw_text: str | None = None  # as the bot sent it
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    edit_date: int | None = None
    deleted: bool = False
    kind: str = "text"  # text, photo, sticker, voice, document, location, contact
    extra: dict[str, Any] = field(default_factory=dict)  # media fields, caption...
    edits: int = 0

    @property
    def buttons(self) -> list[list[str]]:
        """Labels of the keyboard (inline or reply), row by row."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard") or self.reply_markup.get("keyboard") or []
        return [[b if isinstance(b, str) else b.get("text", "") for b in row] for row in rows]

    @property
    def inline_buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row]

    def callback_data(self, label: str) -> str | None:
        for button in self.inline_buttons:
            if button.get("text") == label:
                return button.get("callback_data")
        return None


@dataclass(frozen=True)
class RecordedCall:
    """One HTTP call the bot made."""

    method: str
    params: dict[str, Any]
    status: int
    at: float
    fault: str | None = None


@dataclass
class _Fault:
    kind: str
    remaining: int
    retry_after: int
    hold: float
    description: str | None


class FakeBotApi:
    """The fake server. Start with ``await api.start()`` or ``async with FakeBotApi() as api``."""

    def __init__(
        self,
        token: str = "123456789:TEST-token_for_e2e",
        *,
        username: str = "kzwork_test_bot",
        first_name: str = "KZ Work Test",
        timeout_hold: float = 6.0,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_user = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.timeout_hold = timeout_hold  # longer than PTB's default 5 s read timeout
        # What tests inspect.
        self.calls: list[RecordedCall] = []
        self.unknown_methods: list[str] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.callback_answers: dict[str, dict[str, Any] | None] = {}
        self.inline_answers: dict[str, list[dict[str, Any]] | None] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.blocked: set[int] = set()
        self.webhook: dict[str, Any] = {}
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, http status)
        self.webhook_lost_answers = 0
        """How many more webhook answers to lose, 2xx included: the update is delivered again,
        as Telegram does when the bot's "200 OK" never reached it (a kill, a dropped link)."""
        # Internal state.
        self._chats: dict[int, dict[str, Any]] = {}
        self._messages: dict[int, dict[int, ChatMessage]] = {}
        self._next_message_id: dict[int, int] = {}
        self._versions: dict[int, int] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._faults: dict[str, list[_Fault]] = {}
        self._changed = asyncio.Event()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self.port = 0

    # ---- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What to give PTB's ``ApplicationBuilder().base_url()`` / TELEGRAM_BASE_URL."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> FakeBotApi:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=0.5
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._closing.set()
        self._pulse()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ---- inspection --------------------------------------------------------------------------

    def sent_to(self, chat_id: int) -> list[ChatMessage]:
        """The bot's messages in the chat, as the user sees them now (edits applied, deleted
        ones left out), oldest first."""
        return [m for m in self.history(chat_id) if m.from_bot]

    def history(self, chat_id: int) -> list[ChatMessage]:
        """All visible messages in the chat, both sides, oldest first."""
        messages = self._messages.get(chat_id, {})
        return [messages[i] for i in sorted(messages) if not messages[i].deleted]

    def message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        return self._messages.get(chat_id, {}).get(message_id)

    def chat_version(self, chat_id: int) -> int:
        """Grows with every message the bot sends, edits or deletes in the chat."""
        return self._versions.get(chat_id, 0)

    def calls_to(self, method: str) -> list[RecordedCall]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    @property
    def pending_updates(self) -> int:
        return len(self._updates)

    async def wait_for(
        self, predicate: Callable[[], T], timeout: float = 5.0, *, message: str = ""
    ) -> T:
        """Wait until ``predicate()`` is truthy (re-checked after every change); return it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._changed
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = ", ".join(f"{c.method}:{c.status}" for c in self.calls[-8:])
                raise AssertionError(
                    f"condition not met within {timeout}s {message}(last calls: {recent})"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    # ---- fault injection -----------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        kind: str | int,
        count: int = 1,
        *,
        retry_after: int = 1,
        hold: float | None = None,
        description: str | None = None,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail.

        kind: "429" (Too Many Requests with ``retry_after``), "500", "403" (bot blocked),
        "400" (with ``description``), or "timeout": the request is held ``hold`` seconds
        (default ``timeout_hold``, longer than the client's read timeout) and not performed.
        """
        kind = str(kind)
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {FAULT_KINDS}")
        fault = _Fault(
            kind, count, retry_after, self.timeout_hold if hold is None else hold, description
        )
        self._faults.setdefault(method.lower(), []).append(fault)

    def clear_faults(self) -> None:
        """Forget every fault still queued (e.g. before a restarted bot's turn)."""
        self._faults.clear()

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.pop(0)
        return fault

    # ---- users acting (the control API) -----------------------------------------------------

    def user_sends_text(self, user: Any, text: str, *, chat: dict[str, Any] | None = None) -> int:
        """The user writes ``text`` (a ``/command`` gets its bot_command entity); returns the
        message id."""
        extra: dict[str, Any] = {}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            extra["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._user_message(user, "text", {"text": text, **extra}, chat=chat)

    def group_sends_text(
        self,
        user: Any,
        group_id: int,
        text: str,
        *,
        title: str = "Test group",
        chat_type: str = "group",
    ) -> int:
        """``user`` writes in a group (``group_id`` negative, as Telegram's are)."""
        chat = {"id": group_id, "type": chat_type, "title": title}
        return self.user_sends_text(user, text, chat=chat)

    def user_sends_photo(self, user: Any, caption: str | None = None) -> int:
        n = next(self._file_ids)
        sizes = [
            {
                "file_id": f"photo{n}s",
                "file_unique_id": f"uph{n}s",
                "width": 90,
                "height": 60,
                "file_size": 1200,
            },
            {
                "file_id": f"photo{n}m",
                "file_unique_id": f"uph{n}m",
                "width": 800,
                "height": 533,
                "file_size": 48000,
            },
        ]
        fields: dict[str, Any] = {"photo": sizes}
        if caption:
            fields["caption"] = caption
        return self._user_message(user, "photo", fields)

    def user_sends_sticker(self, user: Any, emoji: str = "👍") -> int:
        n = next(self._file_ids)
        sticker = {
            "file_id": f"sticker{n}",
            "file_unique_id": f"ust{n}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._user_message(user, "sticker", {"sticker": sticker})

    def user_sends_voice(self, user: Any, duration: int = 3) -> int:
        n = next(self._file_ids)
        voice = {
            "file_id": f"voice{n}",
            "file_unique_id": f"uvo{n}",
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": 9000,
        }
        return self._user_message(user, "voice", {"voice": voice})

    def user_sends_document(
        self, user: Any, file_name: str = "passport.pdf", mime_type: str = "application/pdf"
    ) -> int:
        n = next(self._file_ids)
        document = {
            "file_id": f"doc{n}",
            "file_unique_id": f"udo{n}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": 120000,
        }
        return self._user_message(user, "document", {"document": document})

    def user_sends_location(
        self, user: Any, latitude: float = 43.2389, longitude: float = 76.8897
    ) -> int:
        return self._user_message(
            user, "location", {"location": {"latitude": latitude, "longitude": longitude}}
        )

    def user_sends_contact(self, user: Any, phone_number: str = "+77010000000") -> int:
        contact = {"phone_number": phone_number, "first_name": user.first_name, "user_id": user.id}
        return self._user_message(user, "contact", {"contact": contact})

    def user_edits_message(self, user: Any, message_id: int, text: str) -> None:
        """The user edits one of their earlier text messages (an ``edited_message`` update)."""
        stored = self.message(user.id, message_id)
        if stored is None or stored.from_bot:
            raise ValueError(f"user {user.id} has no message {message_id} to edit")
        stored.text = stored.raw_text = text
        stored.edit_date = int(time.time())
        self._push({"edited_message": self._message_json(stored, sender=user_json(user))})

    def user_presses(
        self, user: Any, message_id: int, callback_data: str, *, chat_id: int | None = None
    ) -> str:
        """The user presses a button with ``callback_data`` under a bot message (the data is
        not checked against the keyboard, so a test can forge it). Returns the query id."""
        chat_id = user.id if chat_id is None else chat_id
        stored = self.message(chat_id, message_id)
        if stored is None:
            raise ValueError(f"no message {message_id} in chat {chat_id}")
        self._register_user(user)
        query_id = str(next(self._query_ids) * 1000003)
        self.callback_answers[query_id] = None
        self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user_json(user),
                    "message": self._message_json(stored),
                    "chat_instance": f"ci{abs(chat_id)}",
                    "data": callback_data,
                }
            }
        )
        return query_id

    def inline_query(self, user: Any, query: str) -> str:
        """The user types ``@bot query``; returns the inline query id (see inline_answers)."""
        self._register_user(user)
        query_id = str(next(self._query_ids) * 1000033)
        self.inline_answers[query_id] = None
        self._push(
            {
                "inline_query": {
                    "id": query_id,
                    "from": user_json(user),
                    "query": query,
                    "offset": "",
                    "chat_type": "sender",
                }
            }
        )
        return query_id

    def user_blocks_bot(self, user: Any) -> None:
        """The user blocks the bot: later sends answer 403, and a my_chat_member update comes."""
        self._register_user(user)
        self.blocked.add(user.id)
        self._push({"my_chat_member": self._member_change(user, "member", "kicked")})

    def user_unblocks_bot(self, user: Any) -> None:
        self.blocked.discard(user.id)
        self._push({"my_chat_member": self._member_change(user, "kicked", "member")})

    def _member_change(self, user: Any, old: str, new: str) -> dict[str, Any]:
        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"user": self.bot_user, "status": status}
            if status == "kicked":
                data["until_date"] = 0
            return data

        return {
            "chat": self._chats[user.id],
            "from": user_json(user),
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }

    def _register_user(self, user: Any) -> dict[str, Any]:
        if user.id not in self._chats:
            chat = {"id": user.id, "type": "private", "first_name": user.first_name}
            if getattr(user, "username", None):
                chat["username"] = user.username
            self._chats[user.id] = chat
        return self._chats[user.id]

    def _user_message(
        self, user: Any, kind: str, fields: dict[str, Any], *, chat: dict[str, Any] | None = None
    ) -> int:
        private = self._register_user(user)
        chat = private if chat is None else chat
        self._chats.setdefault(chat["id"], chat)
        stored = ChatMessage(
            chat_id=chat["id"],
            message_id=self._new_message_id(chat["id"]),
            from_bot=False,
            date=int(time.time()),
            text=fields.get("text"),
            raw_text=fields.get("text"),
            kind=kind,
            extra={k: v for k, v in fields.items() if k != "text"},
        )
        self._messages.setdefault(chat["id"], {})[stored.message_id] = stored
        self._push({"message": self._message_json(stored, sender=user_json(user))})
        return stored.message_id

    # ---- internals: messages, updates ------------------------------------------------------

    def _new_message_id(self, chat_id: int) -> int:
        # Private chats number both sides' messages with one counter, as Telegram does.
        self._next_message_id[chat_id] = self._next_message_id.get(chat_id, 0) + 1
        return self._next_message_id[chat_id]

    def _message_json(
        self, stored: ChatMessage, *, sender: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": stored.message_id,
            "from": self.bot_user if stored.from_bot else sender,
            "chat": self._chats[stored.chat_id],
            "date": stored.date,
        }
        if sender is None and not stored.from_bot:
            data.pop("from")
        if stored.text is not None:
            data["text"] = stored.text
        data.update(stored.extra)
        if stored.reply_markup and "inline_keyboard" in stored.reply_markup:
            data["reply_markup"] = stored.reply_markup  # only inline keyboards are echoed back
        if stored.edit_date is not None:
            data["edit_date"] = stored.edit_date
        return data

    def _push(self, update: dict[str, Any]) -> None:
        self._updates.append({"update_id": next(self._update_ids), **update})
        self._pulse()

    def _pulse(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    def _touch_chat(self, chat_id: int) -> None:
        self._versions[chat_id] = self._versions.get(chat_id, 0) + 1

    # ---- HTTP ------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await read_params(request)
        except BadParams as exc:
            return self._record(method, {}, _error(400, f"Bad Request: {exc}"))
        if request.match_info["token"] != self.token:
            return self._record(method, params, _error(401, "Unauthorized"))
        key = method.lower()
        fault = self._take_fault(key)
        if fault is not None:
            return await self._apply_fault(method, params, fault)
        handler = getattr(self, f"_m_{key}", None)
        if handler is None:
            self.unknown_methods.append(method)
            return self._record(method, params, _error(404, "Not Found"))
        try:
            result = await handler(params)
        except TelegramBadRequest as exc:
            return self._record(method, params, _error(400, f"Bad Request: {exc.description}"))
        except _ApiError as exc:
            return self._record(method, params, _error(exc.code, exc.description))
        return self._record(method, params, web.json_response({"ok": True, "result": result}))

    def _record(
        self, method: str, params: dict[str, Any], response: web.Response, fault: str | None = None
    ) -> web.Response:
        self.calls.append(RecordedCall(method, params, response.status, time.time(), fault))
        self._pulse()
        return response

    async def _apply_fault(
        self, method: str, params: dict[str, Any], fault: _Fault
    ) -> web.Response:
        if fault.kind == "429":
            response = web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {fault.retry_after}",
                    "parameters": {"retry_after": fault.retry_after},
                },
                status=429,
            )
        elif fault.kind == "500":
            response = _error(500, "Internal Server Error")
        elif fault.kind == "403":
            response = _error(403, BLOCKED)
        elif fault.kind == "400":
            response = _error(400, f"Bad Request: {fault.description or 'injected fault'}")
        else:  # timeout: keep the client waiting past its read timeout, perform nothing
            self.calls.append(RecordedCall(method, params, 0, time.time(), "timeout-start"))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), fault.hold)
            response = _error(502, "Bad Gateway")
        return self._record(method, params, response, fault=fault.kind)

    # ---- Bot API methods (``_m_<lowercase name>``) -----------------------------------------

    async def _m_getme(self, params: dict[str, Any]) -> Any:
        return self.bot_user

    async def _m_getupdates(self, params: dict[str, Any]) -> Any:
        if self.webhook.get("url"):
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = max(0, int(params.get("timeout") or 0))
        allowed = params.get("allowed_updates") or []
        # Offset confirms everything before it; a negative offset keeps only the newest ones.
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._changed
            if allowed:
                self._updates = [u for u in self._updates if _update_type(u) in allowed]
            if self._updates or self._closing.is_set():
                return self._updates[:limit]
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        url = params.get("url") or ""
        if not url:
            return await self._m_deletewebhook(params)
        if not url.startswith("https://"):
            raise _ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for "
                           "webhook")
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "allowed_updates": params.get("allowed_updates"),
            "last_error_message": None,
        }
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_to_webhook())
        return True

    async def _m_deletewebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = {}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook.get("last_error_message"):
            info["last_error_date"] = int(time.time())
            info["last_error_message"] = self.webhook["last_error_message"]
        return info

    async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        chat_id = self._writable_chat(params.get("chat_id"))
        parse_mode = params.get("parse_mode")
        plain = render_text(params.get("text"), parse_mode)
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        stored = ChatMessage(
            chat_id=chat_id,
            message_id=self._new_message_id(chat_id),
            from_bot=True,
            date=int(time.time()),
            text=plain,
            raw_text=params["text"],
            parse_mode=parse_mode,
            reply_markup=markup
            if markup and ("inline_keyboard" in markup or "keyboard" in markup)
            else None,
        )
        self._messages.setdefault(chat_id, {})[stored.message_id] = stored
        self._touch_chat(chat_id)
        return self._message_json(stored)

    async def _m_editmessagetext(self, params: dict[str, Any]) -> Any:
        if params.get("inline_message_id"):
            return True
        stored = self._editable(params)
        parse_mode = params.get("parse_mode")
        plain = render_text(params.get("text"), parse_mode)
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        # Telegram drops the inline keyboard when an edit does not repeat it.
        new_markup = markup if markup and "inline_keyboard" in markup else None
        if stored.raw_text == params["text"] and stored.reply_markup == new_markup:
            raise TelegramBadRequest(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        stored.text, stored.raw_text, stored.parse_mode = plain, params["text"], parse_mode
        stored.reply_markup = new_markup
        return self._edited(stored)

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> Any:
        if params.get("inline_message_id"):
            return True
        stored = self._editable(params)
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        new_markup = markup if markup and markup.get("inline_keyboard") else None
        if stored.reply_markup == new_markup:
            raise TelegramBadRequest(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        stored.reply_markup = new_markup
        return self._edited(stored)

    async def _m_deletemessage(self, params: dict[str, Any]) -> Any:
        chat_id = self._known_chat(params.get("chat_id"))
        stored = self.message(chat_id, int(params.get("message_id") or 0))
        if stored is None or stored.deleted:
            raise TelegramBadRequest("message to delete not found")
        stored.deleted = True
        self._touch_chat(chat_id)
        return True

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self.callback_answers or self.callback_answers[query_id] is not None:
            raise TelegramBadRequest(QUERY_INVALID)
        text = params.get("text")
        if text is not None and len(text) > 200:
            raise TelegramBadRequest("MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = {
            "text": text,
            "show_alert": bool(params.get("show_alert")),
            "url": params.get("url"),
        }
        return True

    async def _m_answerinlinequery(self, params: dict[str, Any]) -> Any:
        query_id = str(params.get("inline_query_id") or "")
        if query_id not in self.inline_answers or self.inline_answers[query_id] is not None:
            raise TelegramBadRequest(QUERY_INVALID)
        results = params.get("results")
        if not isinstance(results, list) or len(results) > 50:
            raise TelegramBadRequest("RESULTS_TOO_MUCH")
        ids = [r.get("id") for r in results]
        if len(set(ids)) != len(ids):
            raise TelegramBadRequest("RESULT_ID_DUPLICATE")
        self.inline_answers[query_id] = results
        return True

    async def _m_sendchataction(self, params: dict[str, Any]) -> Any:
        chat_id = self._writable_chat(params.get("chat_id"))
        self.chat_actions.append((chat_id, str(params.get("action"))))
        return True

    async def _m_setmycommands(self, params: dict[str, Any]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise TelegramBadRequest("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name = str(command.get("command", ""))
            if not _COMMAND_RE.fullmatch(name):
                raise TelegramBadRequest("BOT_COMMAND_INVALID")
            if not (1 <= len(str(command.get("description", ""))) <= 256):
                raise TelegramBadRequest("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = commands
        return True

    async def _m_getmycommands(self, params: dict[str, Any]) -> Any:
        return self.commands.get(self._commands_key(params), [])

    async def _m_deletemycommands(self, params: dict[str, Any]) -> Any:
        self.commands.pop(self._commands_key(params), None)
        return True

    async def _m_setmydescription(self, params: dict[str, Any]) -> Any:
        text = params.get("description") or ""
        if len(text) > 512:
            raise TelegramBadRequest("BOT_DESCRIPTION_INVALID")
        self.descriptions[params.get("language_code") or ""] = text
        return True

    async def _m_getmydescription(self, params: dict[str, Any]) -> Any:
        return {"description": self.descriptions.get(params.get("language_code") or "", "")}

    async def _m_setmyshortdescription(self, params: dict[str, Any]) -> Any:
        text = params.get("short_description") or ""
        if len(text) > 120:
            raise TelegramBadRequest("BOT_ABOUT_INVALID")
        self.short_descriptions[params.get("language_code") or ""] = text
        return True

    async def _m_getmyshortdescription(self, params: dict[str, Any]) -> Any:
        lang = params.get("language_code") or ""
        return {"short_description": self.short_descriptions.get(lang, "")}

    async def _m_close(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_logout(self, params: dict[str, Any]) -> Any:
        return True

    # ---- helpers for the methods -------------------------------------------------------------

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return (json.dumps(scope, sort_keys=True), params.get("language_code") or "")

    def commands_for(self, language_code: str = "", scope_type: str = "default") -> list[str]:
        """Command names set with setMyCommands for the language ('' = fallback)."""
        key = (json.dumps({"type": scope_type}), language_code)
        return [c["command"] for c in self.commands.get(key, [])]

    def _known_chat(self, chat_id: Any) -> int:
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            raise TelegramBadRequest("chat not found")
        return chat_id

    def _writable_chat(self, chat_id: Any) -> int:
        chat_id = self._known_chat(chat_id)
        if chat_id in self.blocked:
            raise _ApiError(403, BLOCKED)
        return chat_id

    def _editable(self, params: dict[str, Any]) -> ChatMessage:
        chat_id = self._writable_chat(params.get("chat_id"))
        stored = self.message(chat_id, int(params.get("message_id") or 0))
        if stored is None or stored.deleted:
            raise TelegramBadRequest("message to edit not found")
        if not stored.from_bot:
            raise TelegramBadRequest("message can't be edited")
        return stored

    def _edited(self, stored: ChatMessage) -> dict[str, Any]:
        stored.edit_date = int(time.time())
        stored.edits += 1
        self._touch_chat(stored.chat_id)
        return self._message_json(stored)

    async def _deliver_to_webhook(self) -> None:
        """Post pending updates to the webhook URL one by one, as Telegram does."""
        async with aiohttp.ClientSession() as session:
            while not self._closing.is_set():
                event = self._changed
                url = self.webhook.get("url")
                if not url:
                    return
                if not self._updates:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(event.wait(), 1.0)
                    continue
                update = self._updates[0]
                headers = {}
                if self.webhook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
                try:
                    # Telegram speaks HTTPS to the reverse proxy, which passes plain HTTP on to
                    # the bot's webhook server: the fake plays both and posts plain HTTP.
                    plain = "http://" + url.removeprefix("https://")
                    async with session.post(plain, json=update, headers=headers) as response:
                        status = response.status
                except aiohttp.ClientError as exc:
                    status = 0
                    self.webhook["last_error_message"] = f"Connection error: {exc}"
                self.webhook_deliveries.append((update["update_id"], status))
                if self.webhook_lost_answers > 0 and status:
                    self.webhook_lost_answers -= 1
                    status = 0
                if 200 <= status < 300:
                    if self._updates and self._updates[0] is update:
                        self._updates.pop(0)
                    self._pulse()
                else:
                    if status:
                        self.webhook["last_error_message"] = f"Wrong response: {status}"
                    await asyncio.sleep(0.2)


class _ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def _error(code: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=code
    )


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")
