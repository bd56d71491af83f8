"""Sending the engine's messages to a chat: new messages, edits in place, "typing…".

Usage::

    await deliver(bot, chat_id, reply.messages, pressed=query.message)
    planned = plan(reply.messages)                  # rendered first: kept in the outbox...
    await send(bot, chat_id, planned, pressed=...)  # ...until sent
    async with typing(bot, chat_id):        # shows "typing…" only if the work takes a while
        ...

A message with ``replace=True`` edits the message whose button was pressed. "Message is not
modified" counts as done; an edit that fails because the message is too old, was deleted or
cannot be edited any more, or that still fails with a 5xx or a timeout after the retries, falls
back to sending a new message (a timed-out edit may have landed: then the step shows twice,
which beats a step never shown). Long texts become several
messages; the keyboard goes under the last one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardMarkup,
    MaybeInaccessibleMessage,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest, NetworkError, TelegramError

from bot.telegram.formatting import render_html, reply_markup
from dialogs.reply import Message

logger = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove

TYPING_DELAY = 0.4  # seconds of work before "typing…" is worth an extra request


def not_modified(error: BadRequest) -> bool:
    return "message is not modified" in error.message.lower()


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message of a reply, rendered: what :func:`send` sends."""

    text: str
    markup: Markup | None
    edit: bool = False
    """The first part of a message that replaces the pressed one: edits it when it can."""


def plan(messages: Sequence[Message]) -> list[Outgoing]:
    """The engine's messages as the Telegram messages they become (packed, split, with the
    keyboard under the last part)."""
    planned = []
    for message in pack(messages):
        if not message.blocks:
            continue
        chunks = render_html(message.blocks)
        markup = reply_markup(message)
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            planned.append(Outgoing(chunk, markup if last else None,
                                    edit=message.replace and index == 0))
    return planned


async def deliver(
    bot: Bot,
    chat_id: int,
    messages: Sequence[Message],
    *,
    pressed: MaybeInaccessibleMessage | None = None,
) -> None:
    """Send (or edit) the messages in order. Telegram errors other than a refused edit raise."""
    await send(bot, chat_id, plan(messages), pressed=pressed)


async def send(bot: Bot, chat_id: int, planned: Sequence[Outgoing], *,
               pressed: MaybeInaccessibleMessage | None = None) -> None:
    """Send what :func:`plan` made; the first part that may edit edits ``pressed``."""
    editable = pressed if pressed is not None and pressed.is_accessible else None
    for part in planned:
        if part.edit and editable is not None:
            edited = await _edit(bot, chat_id, editable.message_id, part.text, part.markup)
            editable = None  # one reply edits the pressed message at most once
            if edited:
                continue
        await bot.send_message(chat_id, part.text, reply_markup=part.markup)


_MARKUPS: dict[str, type[InlineKeyboardMarkup] | type[ReplyKeyboardMarkup]
               | type[ReplyKeyboardRemove]] = {
    "inline_keyboard": InlineKeyboardMarkup,
    "keyboard": ReplyKeyboardMarkup,
    "remove_keyboard": ReplyKeyboardRemove,
}


def stored(planned: Sequence[Outgoing]) -> list[dict[str, Any]]:
    """The planned messages as JSON (the outbox, ``bot.storage.outbox``)."""
    return [{"text": part.text, "markup": part.markup.to_dict() if part.markup else None}
            for part in planned]


def from_stored(data: Sequence[dict[str, Any]], bot: Bot) -> list[Outgoing]:
    """What :func:`stored` wrote, to send as new messages (nothing to edit any more)."""
    planned = []
    for item in data:
        raw = item.get("markup")
        markup = None
        if isinstance(raw, dict):
            kind = next((key for key in _MARKUPS if key in raw), None)
            markup = _MARKUPS[kind].de_json(raw, bot) if kind else None
        planned.append(Outgoing(str(item.get("text", "")), markup))
    return planned


def pack(messages: Sequence[Message]) -> list[Message]:
    """Join consecutive messages without buttons into the next one, so a long result arrives as
    few messages as Telegram's length limit allows (render_html splits them again at paragraph
    boundaries). Fewer messages mean fewer notifications for the user and less of the bot's
    ~30 messages a second that Telegram allows. A message that edits the pressed one stays first.
    """
    packed: list[Message] = []
    for message in messages:
        previous = packed[-1] if packed else None
        if (previous is not None and not previous.buttons and not previous.keys
                and not previous.clear_keys and not message.replace):
            packed[-1] = Message(previous.blocks + message.blocks, message.buttons,
                                 previous.replace, message.keys, message.clear_keys)
        else:
            packed.append(message)
    return packed


async def _edit(bot: Bot, chat_id: int, message_id: int, text: str, markup: object) -> bool:
    """Edit in place; False when Telegram refuses and a new message should be sent instead."""
    try:
        await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id,
                                    reply_markup=markup)  # type: ignore[arg-type]
    except BadRequest as error:
        if not_modified(error):
            return True  # the same press twice: the screen already shows this
        logger.info("cannot edit message %s in chat %s (%s); sending a new one",
                    message_id, chat_id, error.message)
        return False
    except NetworkError as error:  # 5xx or timeouts, after the rate limiter's retries
        logger.warning("editing message %s in chat %s failed (%s); sending a new one",
                       message_id, chat_id, error.message)
        return False
    return True


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int, delay: float | None = None) -> AsyncIterator[None]:
    """Send the "typing…" chat action if the block is still running after ``delay`` seconds
    (default ``TYPING_DELAY``)."""
    wait = TYPING_DELAY if delay is None else delay
    started: list[asyncio.Task[None]] = []

    async def announce() -> None:
        with contextlib.suppress(TelegramError):
            await bot.send_chat_action(chat_id, ChatAction.TYPING)

    # A timer rather than a sleeping task: most turns end long before the delay, and cancelling
    # a timer costs far less than creating and cancelling a task on every message.
    loop = asyncio.get_running_loop()
    timer = loop.call_later(wait, lambda: started.append(loop.create_task(announce())))
    try:
        yield
    finally:
        timer.cancel()
        for task in started:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
