"""Property tests through the real Telegram handlers: any update payload (any Unicode, empty and
5,000-character texts, forged callback data up to 64 bytes, updates without a sender, channel
posts, edits, inline queries, kinds the bot never asked for, kinds PTB does not know) is handled
without an exception escaping a handler, and every message sent is valid Telegram HTML of at
most 4,096 characters with a valid keyboard."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.telegram_bench import BOT_ID, BOT_USERNAME
from dialogs.engine import ChatEngine
from tests.hardening.telegram_rig import TelegramRig, replies_to

IDS = itertools.count(10_000)

# ---- strategies ------------------------------------------------------------------------------

texts = st.one_of(
    st.text(max_size=300),
    st.just(""),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=8).map(
        lambda chunk: (chunk * 5000)[:5000]),  # 5,000 characters
    st.sampled_from(["/start", "/start worker-kk", "/start " + "x" * 64, "/start ../../etc",
                     "/menu", "/forget", "/checklist", "/help@" + BOT_USERNAME, "/stats",
                     "/unanswered", "/restart", "/language", "<b>bold</b> & <script>",
                     "@" + BOT_USERNAME + " квота", "'; DROP TABLE users; --", "\u202eabc",
                     "\x00\x01\x02", "{{fact}} {0} %s %(x)s", " ", "\n\t ", "\u2028",
                     "\u3000"]),
    st.builds(lambda a, b: a + " " + b, st.sampled_from(["/start", "/checklist", "/forget"]),
              st.text(max_size=80)),
)
# Callback data as Telegram delivers it: 1-64 bytes of UTF-8; sometimes a real-looking id.
callback_data = st.one_of(
    st.text(min_size=1, max_size=64).filter(lambda d: len(d.encode("utf-8")) <= 64),
    st.sampled_from(["a:citizenship:eaeu", "a:citizenship:" + "x" * 40, "m:worker", "m:nope",
                     "ck", "ck:", "ck:passport", "ck:" + "z" * 61, "fg", "fg:yes", "fg:no",
                     "fg:maybe", "l:kk", "l:xx", "c:status", "b", "r", "x", "s", "docs",
                     "menu", "f:../x", "dd:arrival:20261301", "rm:fee:99999999", "sh"]),
    st.builds(lambda kind, args: ":".join([kind, *args]),
              st.sampled_from(["a", "c", "m", "f", "l", "t", "d", "dm", "dd", "rm", "ck"]),
              st.lists(st.text(max_size=12), max_size=3)),
)
user_ids = st.one_of(st.integers(1, 40), st.integers(1, 2**52))
languages = st.one_of(st.none(), st.sampled_from(["ru", "kk", "en", "de", "", "zz-ZZ",
                                                   "ru-RU", "x" * 35]))


@st.composite
def users(draw: st.DrawFn, user_id: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"id": draw(user_ids) if user_id is None else user_id,
                            "is_bot": draw(st.booleans()),
                            "first_name": draw(st.text(min_size=1, max_size=12))}
    lang = draw(languages)
    if lang is not None:
        data["language_code"] = lang
    if draw(st.booleans()):
        data["username"] = draw(st.from_regex(r"[a-z][a-z0-9_]{4,20}", fullmatch=True))
    return data


@st.composite
def chats(draw: st.DrawFn, sender: dict[str, Any] | None) -> dict[str, Any]:
    kind = draw(st.sampled_from(["private", "private", "group", "supergroup", "channel"]))
    if kind == "private":
        return {"id": sender["id"] if sender else draw(user_ids), "type": "private",
                "first_name": "X"}
    return {"id": -draw(st.integers(1, 10**13)), "type": kind, "title": draw(st.text(max_size=20))}


MEDIA = {
    "photo": [{"file_id": "p", "file_unique_id": "pu", "width": 1, "height": 1}],
    "location": {"latitude": 43.2, "longitude": 76.9},
    "contact": {"phone_number": "+77000000000", "first_name": "A"},
    "dice": {"emoji": "🎲", "value": 3},
    "voice": {"file_id": "v", "file_unique_id": "vu", "duration": 1},
    "document": {"file_id": "d", "file_unique_id": "du"},
    "sticker": {"file_id": "s", "file_unique_id": "su", "type": "regular", "width": 1,
                "height": 1, "is_animated": False, "is_video": False},
    "new_chat_title": "renamed",  # a service message: no reply expected
}
ANSWERED_MEDIA = set(MEDIA) - {"new_chat_title"}


@st.composite
def messages(draw: st.DrawFn, *, edited: bool = False, channel: bool = False) -> dict[str, Any]:
    sender = None if channel or draw(st.integers(0, 9)) == 0 else draw(users())
    chat = ({"id": -draw(st.integers(1, 10**13)), "type": "channel", "title": "c"} if channel
            else draw(chats(sender)))
    message: dict[str, Any] = {"message_id": next(IDS), "date": 1764061200, "chat": chat}
    if sender is not None:
        message["from"] = sender
    elif chat["type"] != "private":
        message["sender_chat"] = {"id": chat["id"], "type": chat["type"], "title": "anon"}
    if edited:
        message["edit_date"] = 1764061300
    body = draw(st.sampled_from(["text", "text", "text", "media", "nothing"]))
    if body == "text":
        text = draw(texts)
        message["text"] = text
        if text.startswith("/") and draw(st.booleans()):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": draw(st.integers(1, max(1, len(text))))}]
    elif body == "media":
        kind = draw(st.sampled_from(sorted(MEDIA)))
        message[kind] = MEDIA[kind]
        if draw(st.booleans()):
            message["caption"] = draw(st.text(max_size=100))
    if draw(st.integers(0, 3)) == 0:
        message["reply_to_message"] = {
            "message_id": 1, "date": 1764061000, "chat": chat, "text": "earlier",
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Bot",
                     "username": BOT_USERNAME}}
    return message


@st.composite
def callback_queries(draw: st.DrawFn) -> dict[str, Any]:
    sender = draw(users())
    query: dict[str, Any] = {"id": str(next(IDS)), "from": sender, "chat_instance": "ci"}
    if draw(st.integers(0, 9)):
        query["data"] = draw(callback_data)
    else:
        query["game_short_name"] = "game"
    where = draw(st.sampled_from(["message", "message", "inaccessible", "inline", "group"]))
    if where in ("message", "group"):
        chat = ({"id": sender["id"], "type": "private", "first_name": "X"} if where == "message"
                else {"id": -42, "type": "supergroup", "title": "g"})
        query["message"] = {"message_id": draw(st.integers(1, 10**6)), "date": 1764061200,
                            "chat": chat, "text": "…",
                            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Bot"}}
    elif where == "inaccessible":  # too old for the bot to see: date 0
        query["message"] = {"message_id": 5, "date": 0,
                            "chat": {"id": sender["id"], "type": "private", "first_name": "X"}}
    else:
        query["inline_message_id"] = "inline-1"
    return query


@st.composite
def member_updates(draw: st.DrawFn) -> dict[str, Any]:
    sender = draw(users())
    chat = draw(chats(sender))
    old, new = draw(st.sampled_from([("member", "kicked"), ("kicked", "member"),
                                     ("left", "member"), ("member", "left")]))
    me = {"id": BOT_ID, "is_bot": True, "first_name": "Bot"}
    members = [{"status": status, "user": me} for status in (old, new)]
    for member in members:
        if member["status"] == "kicked":
            member["until_date"] = 0
    return {"chat": chat, "from": sender, "date": 1764061200,
            "old_chat_member": members[0], "new_chat_member": members[1]}


@st.composite
def other_kinds(draw: st.DrawFn) -> dict[str, Any]:
    sender = draw(users())
    return draw(st.sampled_from([
        {"inline_query": {"id": "iq", "from": sender, "query": draw(st.text(max_size=256)),
                          "offset": ""}},
        {"chosen_inline_result": {"result_id": "r", "from": sender, "query": "q"}},
        {"poll": {"id": "p", "question": "q?", "options": [{"text": "a", "voter_count": 0,
                                                        "persistent_id": "o1"}],
                  "total_voter_count": 0, "is_closed": False, "is_anonymous": True,
                  "type": "regular", "allows_multiple_answers": False,
                  "allows_revoting": False, "members_only": False}},
        {"poll_answer": {"poll_id": "p", "option_ids": [0], "user": sender,
                         "option_persistent_ids": ["o1"]}},
        {"chat_join_request": {"chat": {"id": -7, "type": "supergroup", "title": "g"},
                               "from": sender, "user_chat_id": sender["id"],
                               "date": 1764061200}},
        {"shipping_query": {"id": "s", "from": sender, "invoice_payload": "x",
                            "shipping_address": {"country_code": "KZ", "state": "",
                                                 "city": "Almaty", "street_line1": "a",
                                                 "street_line2": "", "post_code": "050000"}}},
        {"some_future_update_kind": {"anything": [1, {"nested": draw(st.text(max_size=20))}]}},
        {},  # an update with nothing in it
    ]))


updates = st.one_of(
    messages().map(lambda m: {"message": m}),
    messages(edited=True).map(lambda m: {"edited_message": m}),
    messages(channel=True).map(lambda m: {"channel_post": m}),
    messages(channel=True, edited=True).map(lambda m: {"edited_channel_post": m}),
    callback_queries().map(lambda q: {"callback_query": q}),
    member_updates().map(lambda m: {"my_chat_member": m}),
    member_updates().map(lambda m: {"chat_member": m}),
    other_kinds(),
)

# ---- the rig, one per module (hypothesis runs many examples against the same bot) ------------


@pytest.fixture(scope="module")
def rig(engine: ChatEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TelegramRig]:
    with TelegramRig(tmp_path_factory.mktemp("props"), engine) as the_rig:
        yield the_rig


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@pytest.mark.slow
@given(st.lists(updates, min_size=1, max_size=6))
def test_any_update_is_handled_and_every_reply_is_valid(rig: TelegramRig,
                                                        payloads: list[dict[str, Any]]) -> None:
    for payload in payloads:
        calls = rig.feed(payload)
        rig.assert_clean(calls)
        message = payload.get("message")
        if (message and message["chat"]["type"] == "private" and "from" in message
                and (message.get("text") or ANSWERED_MEDIA & message.keys())):
            # Everything a person sends in a private chat gets an answer.
            assert replies_to(calls, message["chat"]["id"]), payload


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(user_ids, st.lists(st.one_of(texts.map(lambda t: ("text", t)),
                                    callback_data.map(lambda d: ("press", d))),
                          min_size=1, max_size=12))
@pytest.mark.slow
def test_one_user_mixing_texts_and_forged_presses_always_gets_answers(
        rig: TelegramRig, user_id: int, steps: list[tuple[str, str]]) -> None:
    rig.text(user_id, "/start")
    previous: tuple[str, str] | None = None
    for kind, value in steps:
        calls = rig.text(user_id, value) if kind == "text" else rig.press(user_id, value)
        rig.assert_clean(calls)
        if (kind, value) == ("press", "noop"):
            # A calendar header: the callback is answered and nothing else is sent.
            assert [call.method for call in calls] == ["answerCallbackQuery"], calls
        elif not replies_to(calls, user_id):
            # Only a double tap on an out-of-date button is answered once (#17): the spinner
            # stops, and the first tap's message stands.
            assert previous == (kind, value) and kind == "press", (kind, value)
            assert [call.method for call in calls] == ["answerCallbackQuery"], calls
        previous = (kind, value)


def test_the_rig_catches_a_raising_handler(rig: TelegramRig, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    """The error recorder works: an exception inside a handler is seen (then cleared)."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(rig.app.bot_data["service"].engine, "handle", broken)
    calls = rig.text(77, "/menu")
    assert [type(e) for e in rig.errors] == [RuntimeError]
    assert any("Sorry" in c.text for c in replies_to(calls, 77))  # the apology still went out
    rig.errors.clear()
