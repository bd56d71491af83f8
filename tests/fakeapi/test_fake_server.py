"""The fake server's Bot API behaviour over raw HTTP: formats, errors, update semantics."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.fakeapi.server import FakeBotApi, TgUser

ALICE = TgUser(2001, first_name="Alice", language_code="ru")
KEYBOARD = {"inline_keyboard": [[{"text": "Да", "callback_data": "n:yes"}]]}


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(
    http: aiohttp.ClientSession, api: FakeBotApi, method: str, *, form: bool = True, **params: Any
) -> tuple[int, dict[str, Any]]:
    """Post like PTB (form fields, non-strings JSON-encoded) or as a JSON body."""
    url = f"{api.base_url}{api.token}/{method}"
    if form:
        data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
        async with http.post(url, data=data) as response:
            return response.status, await response.json()
    async with http.post(url, json=params) as response:
        return response.status, await response.json()


async def test_get_me_in_both_body_formats(fake_api: FakeBotApi, http: Any) -> None:
    for form in (True, False):
        status, body = await call(http, fake_api, "getMe", form=form)
        assert status == 200 and body["ok"] is True
        assert body["result"]["is_bot"] is True
        assert body["result"]["username"] == "kzwork_test_bot"
        assert body["result"]["id"] == int(fake_api.token.split(":")[0])


async def test_wrong_token_and_unknown_method(fake_api: FakeBotApi, http: Any) -> None:
    async with http.post(f"{fake_api.base_url}999:wrong/getMe") as response:
        assert response.status == 401
        assert (await response.json())["description"] == "Unauthorized"
    status, body = await call(http, fake_api, "sendPigeon", chat_id=1)
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert fake_api.unknown_methods == ["sendPigeon"]
    fake_api.unknown_methods.clear()  # expected here; the fixture fails on leftovers


async def test_get_updates_offset_and_long_poll(fake_api: FakeBotApi, http: Any) -> None:
    first = fake_api.user_sends_text(ALICE, "/start")
    fake_api.user_sends_text(ALICE, "привет")
    _, body = await call(http, fake_api, "getUpdates", offset=0, timeout=0)
    updates = body["result"]
    assert [u["message"]["message_id"] for u in updates] == [first, first + 1]
    start = updates[0]["message"]
    assert start["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert start["chat"] == {"id": ALICE.id, "type": "private", "first_name": "Alice"}
    assert start["from"]["language_code"] == "ru" and start["from"]["is_bot"] is False
    assert abs(start["date"] - time.time()) < 5  # seconds, not milliseconds
    # Unconfirmed updates come again; an offset confirms the earlier ones.
    _, again = await call(http, fake_api, "getUpdates", offset=updates[0]["update_id"])
    assert len(again["result"]) == 2
    _, rest = await call(http, fake_api, "getUpdates", offset=updates[1]["update_id"] + 1)
    assert rest["result"] == []
    # A long poll returns as soon as something arrives.
    poll = asyncio.create_task(call(http, fake_api, "getUpdates", timeout=10))
    await asyncio.sleep(0.2)
    assert not poll.done()
    fake_api.user_sends_text(ALICE, "later")
    _, woke = await asyncio.wait_for(poll, 2)
    assert woke["result"][0]["message"]["text"] == "later"


async def test_send_edit_delete_cycle(fake_api: FakeBotApi, http: Any) -> None:
    status, body = await call(http, fake_api, "sendMessage", chat_id=ALICE.id, text="x")
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    fake_api.user_sends_text(ALICE, "/start")
    status, body = await call(
        http,
        fake_api,
        "sendMessage",
        chat_id=ALICE.id,
        text="<b>Вопрос</b> &amp; ответ",
        parse_mode="HTML",
        reply_markup=KEYBOARD,
    )
    assert status == 200
    sent = body["result"]
    assert sent["message_id"] == 2 and sent["text"] == "Вопрос & ответ"
    assert sent["reply_markup"] == KEYBOARD and sent["from"]["is_bot"] is True
    [visible] = fake_api.sent_to(ALICE.id)
    assert visible.buttons == [["Да"]] and visible.callback_data("Да") == "n:yes"

    same = {"chat_id": ALICE.id, "message_id": 2, "parse_mode": "HTML"}
    status, body = await call(
        http,
        fake_api,
        "editMessageText",
        text="<b>Вопрос</b> &amp; ответ",
        reply_markup=KEYBOARD,
        **same,
    )
    assert status == 400 and "message is not modified" in body["description"]
    status, body = await call(http, fake_api, "editMessageText", text="Готово", **same)
    assert status == 200 and body["result"]["edit_date"] >= body["result"]["date"]
    assert fake_api.sent_to(ALICE.id)[0].text == "Готово"
    assert fake_api.sent_to(ALICE.id)[0].reply_markup is None  # keyboard dropped
    status, _ = await call(
        http,
        fake_api,
        "editMessageReplyMarkup",
        chat_id=ALICE.id,
        message_id=2,
        reply_markup=KEYBOARD,
    )
    assert status == 200 and fake_api.sent_to(ALICE.id)[0].buttons == [["Да"]]
    status, body = await call(
        http, fake_api, "editMessageText", chat_id=ALICE.id, message_id=1, text="hack"
    )
    assert (status, body["description"]) == (400, "Bad Request: message can't be edited")
    status, _ = await call(http, fake_api, "deleteMessage", chat_id=ALICE.id, message_id=2)
    assert status == 200 and fake_api.sent_to(ALICE.id) == []
    status, body = await call(http, fake_api, "deleteMessage", chat_id=ALICE.id, message_id=2)
    assert body["description"] == "Bad Request: message to delete not found"


@pytest.mark.parametrize(
    ("text", "parse_mode", "markup", "error"),
    [
        ("a < b", "HTML", None, "can't parse entities"),
        ("Tom & Jerry", "HTML", None, "can't parse entities"),
        ("<b>bold", "HTML", None, "Can't find end tag"),
        ("<div>x</div>", "HTML", None, "Unsupported start tag"),
        ("   ", None, None, "message text is empty"),
        ("x" * 4097, None, None, "message is too long"),
        (
            "ok",
            None,
            {"inline_keyboard": [[{"text": "Б", "callback_data": "ж" * 33}]]},
            "BUTTON_DATA_INVALID",
        ),
        ("ok", None, {"inline_keyboard": [[{"text": "no action"}]]}, "text buttons"),
    ],
)
async def test_rejects_what_telegram_rejects(
    fake_api: FakeBotApi, http: Any, text: str, parse_mode: str | None, markup: Any, error: str
) -> None:
    fake_api.user_sends_text(ALICE, "/start")
    params: dict[str, Any] = {"chat_id": ALICE.id, "text": text}
    if parse_mode:
        params["parse_mode"] = parse_mode
    if markup:
        params["reply_markup"] = markup
    status, body = await call(http, fake_api, "sendMessage", **params)
    assert status == 400 and error in body["description"]
    assert fake_api.sent_to(ALICE.id) == []


async def test_callback_query_shape_and_single_answer(fake_api: FakeBotApi, http: Any) -> None:
    fake_api.user_sends_text(ALICE, "/start")
    await call(http, fake_api, "sendMessage", chat_id=ALICE.id, text="Q", reply_markup=KEYBOARD)
    query_id = fake_api.user_presses(ALICE, 2, "n:forged")
    _, body = await call(http, fake_api, "getUpdates")
    query = body["result"][-1]["callback_query"]
    assert query["id"] == query_id and query["data"] == "n:forged"
    assert query["chat_instance"] and query["message"]["message_id"] == 2
    assert query["message"]["reply_markup"] == KEYBOARD
    status, _ = await call(
        http,
        fake_api,
        "answerCallbackQuery",
        callback_query_id=query_id,
        text="ok",
        show_alert=True,
    )
    assert status == 200
    assert fake_api.callback_answers[query_id] == {"text": "ok", "show_alert": True, "url": None}
    status, body = await call(http, fake_api, "answerCallbackQuery", callback_query_id=query_id)
    assert status == 400 and "query is too old" in body["description"]


@pytest.mark.parametrize(
    ("kind", "status", "fragment"),
    [
        ("429", 429, "retry after 3"),
        ("500", 500, "Internal Server Error"),
        ("403", 403, "bot was blocked by the user"),
    ],
)
async def test_fail_next(
    fake_api: FakeBotApi, http: Any, kind: str, status: int, fragment: str
) -> None:
    fake_api.user_sends_text(ALICE, "/start")
    fake_api.fail_next("sendMessage", kind, count=2, retry_after=3)
    for _ in range(2):
        got, body = await call(http, fake_api, "sendMessage", chat_id=ALICE.id, text="hi")
        assert got == status and fragment in body["description"]
    if kind == "429":
        assert body["parameters"] == {"retry_after": 3}
    got, _ = await call(http, fake_api, "sendMessage", chat_id=ALICE.id, text="hi")
    assert got == 200 and len(fake_api.sent_to(ALICE.id)) == 1


async def test_timeout_fault_holds_the_request(fake_api: FakeBotApi, http: Any) -> None:
    fake_api.user_sends_text(ALICE, "/start")
    fake_api.fail_next("sendMessage", "timeout", hold=0.5)
    started = time.monotonic()
    status, _ = await call(http, fake_api, "sendMessage", chat_id=ALICE.id, text="hi")
    assert time.monotonic() - started >= 0.5 and status == 502
    assert fake_api.sent_to(ALICE.id) == []


async def test_commands_and_descriptions_per_language(fake_api: FakeBotApi, http: Any) -> None:
    commands = [{"command": "start", "description": "Бастау"}]
    assert (await call(http, fake_api, "setMyCommands", commands=commands, language_code="kk"))[
        0
    ] == 200
    _, body = await call(http, fake_api, "getMyCommands", language_code="kk")
    assert body["result"] == commands
    _, body = await call(http, fake_api, "getMyCommands")
    assert body["result"] == []
    status, body = await call(
        http, fake_api, "setMyCommands", commands=[{"command": "Start!", "description": "x"}]
    )
    assert status == 400 and body["description"] == "Bad Request: BOT_COMMAND_INVALID"
    await call(http, fake_api, "setMyDescription", description="Көмекші", language_code="kk")
    await call(http, fake_api, "setMyShortDescription", short_description="Help")
    assert fake_api.descriptions == {"kk": "Көмекші"}
    assert fake_api.short_descriptions == {"": "Help"}


async def test_webhook_delivery_with_secret(fake_api: FakeBotApi, http: Any) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        status, _ = await call(
            http, fake_api, "setWebhook", url=f"https://127.0.0.1:{port}/hook",
            secret_token="s3cret",
        )
        assert status == 200
        status, body = await call(http, fake_api, "getUpdates")
        assert status == 409 and "webhook is active" in body["description"]
        fake_api.user_sends_text(ALICE, "via webhook")
        await fake_api.wait_for(lambda: received)
        assert received[0][0] == "s3cret"
        assert received[0][1]["message"]["text"] == "via webhook"
        await fake_api.wait_for(lambda: fake_api.pending_updates == 0)
        _, info = await call(http, fake_api, "getWebhookInfo")
        assert info["result"]["url"].endswith("/hook")
        await call(http, fake_api, "deleteWebhook")
        status, _ = await call(http, fake_api, "getUpdates")
        assert status == 200
    finally:
        await runner.cleanup()


async def test_other_user_actions_make_valid_updates(fake_api: FakeBotApi, http: Any) -> None:
    mid = fake_api.user_sends_text(ALICE, "first")
    fake_api.user_edits_message(ALICE, mid, "first, edited")
    fake_api.user_sends_voice(ALICE)
    fake_api.user_sends_document(ALICE)
    fake_api.user_sends_location(ALICE)
    fake_api.user_sends_contact(ALICE)
    fake_api.group_sends_text(ALICE, -100500, "hello group")
    fake_api.user_blocks_bot(ALICE)
    _, body = await call(http, fake_api, "getUpdates")
    kinds = [next(k for k in u if k != "update_id") for u in body["result"]]
    assert kinds == ["message", "edited_message", *["message"] * 5, "my_chat_member"]
    assert body["result"][1]["edited_message"]["text"] == "first, edited"
    assert body["result"][6]["message"]["chat"]["type"] == "group"
    assert body["result"][7]["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    status, body = await call(http, fake_api, "sendMessage", chat_id=ALICE.id, text="hi")
    assert status == 403 and body["description"] == "Forbidden: bot was blocked by the user"
