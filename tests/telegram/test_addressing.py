"""In groups the bot answers only when addressed; in private chats always."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram import Chat, Message, User

from bot.telegram.addressing import addressed_text, media_addressed

BOT = User(42, "Bot", is_bot=True, username="kzwork_bot")
ALICE = User(7, "Alice", is_bot=False)
GROUP = Chat(-100, Chat.GROUP, title="HR team")
PRIVATE = Chat(7, Chat.PRIVATE, first_name="Alice")
NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


def message(text: str | None, chat: Chat = GROUP, reply_to: User | None = None) -> Message:
    replied = Message(1, NOW, chat, from_user=reply_to, text="earlier") if reply_to else None
    return Message(2, NOW, chat, from_user=ALICE, text=text, reply_to_message=replied)


def text_for(msg: Message) -> str | None:
    return addressed_text(msg, bot_id=BOT.id, username=BOT.username)


def test_private_chat_is_always_addressed() -> None:
    assert text_for(message("how long is a permit?", PRIVATE)) == "how long is a permit?"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how long is a permit?", None),  # people talking among themselves
        ("/start", None),  # a bare command may be for another bot
        ("/start@other_bot", None),
        ("/start@kzwork_bot", "/start"),
        ("/start@KZWork_Bot worker-en", "/start worker-en"),
        ("@kzwork_bot how long is a permit?", "how long is a permit?"),
        ("how long is a permit, @KZWORK_BOT?", "how long is a permit, ?"),
        ("@kzwork_bot2 hello", None),  # a different bot with a longer name
    ],
)
def test_group_messages(text: str, expected: str | None) -> None:
    assert text_for(message(text)) == expected


def test_a_reply_to_the_bot_is_addressed() -> None:
    assert text_for(message("and for Kyrgyz citizens?", reply_to=BOT)) == "and for Kyrgyz citizens?"
    assert text_for(message("and for Kyrgyz citizens?", reply_to=ALICE)) is None


def test_media_only_in_private_or_as_a_reply_to_the_bot() -> None:
    assert media_addressed(message(None, PRIVATE), bot_id=BOT.id)
    assert not media_addressed(message(None), bot_id=BOT.id)
    assert media_addressed(message(None, reply_to=BOT), bot_id=BOT.id)
