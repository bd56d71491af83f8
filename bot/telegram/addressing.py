"""Whether a message is meant for the bot, and its text without the bot's @mention.

In a private chat every message is. In a group the bot speaks only when addressed: a command
with its @username (``/start@kzwork_bot``), a mention (``@kzwork_bot how long...``) or a reply
to one of its messages. Everything else in a group is other people's conversation.

Usage::

    text = addressed_text(message, bot_id=bot.id, username=bot.username)
    if text is None:
        return  # not for us
"""

from __future__ import annotations

import re

from telegram import Chat, Message


def is_private(message: Message) -> bool:
    return message.chat.type == Chat.PRIVATE


def replies_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot_id)


def addressed_text(message: Message, *, bot_id: int, username: str | None) -> str | None:
    """The text for the engine if the message is for the bot, else None."""
    text = message.text or ""
    if is_private(message):
        return text
    if not username:
        return text if replies_to_bot(message, bot_id) else None
    handle = "@" + username.lower()
    if text.startswith("/"):
        command, sep, rest = text.partition(" ")
        name, at, target = command.partition("@")
        if at and "@" + target.lower() == handle:
            return f"{name}{sep}{rest}"  # /start@bot payload -> /start payload
        if at:
            return None  # a command for another bot
        return text if replies_to_bot(message, bot_id) else None
    # "@kzwork_bot" but not "@kzwork_bot2": a username ends where its characters end.
    mention = re.compile(re.escape(handle) + r"(?![A-Za-z0-9_])", re.IGNORECASE)
    if mention.search(text):
        return " ".join(mention.sub(" ", text).split())
    return text if replies_to_bot(message, bot_id) else None


def media_addressed(message: Message, *, bot_id: int) -> bool:
    """Photos, stickers and the like: in groups only when they answer the bot's message."""
    return is_private(message) or replies_to_bot(message, bot_id)
