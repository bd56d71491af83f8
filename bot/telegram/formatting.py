"""Engine messages → Telegram: escaped HTML text split below 4,096 characters, inline keyboards.

Usage::

    for chunk in render_html(message.blocks):          # one or more HTML texts
        await bot.send_message(chat_id, chunk, parse_mode="HTML")
    markup = keyboard(message.buttons)                  # InlineKeyboardMarkup or None

Every text (knowledge base and user alike) goes through ``html.escape``; the only tags are the
ones added here: ``<b>`` for titles and headings, ``<i>`` for notes, ``<a href>`` for a block
with an http(s) ``url`` (a named source). Layout (blank lines, "• "
bullets) is the engine's :func:`dialogs.reply.plain_text`, applied to already formatted blocks.
A tag never spans two blocks, so cutting between blocks can never break the HTML.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from dialogs.reply import Block, Button, Message, plain_text

# Telegram's limit is 4,096 characters after entity parsing; counting the HTML source instead
# (always longer) and keeping a margin means a chunk can never be refused for its length.
MAX_MESSAGE_CHARS = 4000
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+")


def block_html(block: Block) -> Block:
    """The block with its text escaped and wrapped in the tag of its style."""
    text = html.escape(block.text, quote=False)
    if block.url and block.url.startswith(("https://", "http://")):
        text = f'<a href="{html.escape(block.url, quote=True)}">{text}</a>'
    if block.style in ("title", "heading"):
        text = f"<b>{text}</b>"
    elif block.style == "note":
        text = f"<i>{text}</i>"
    return Block(block.style, text)


def render_html(blocks: Sequence[Block], limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """The blocks as HTML messages, each at most ``limit`` characters, cut between blocks
    (paragraphs); a single over-long block is cut at sentence, then word boundaries."""
    pieces: list[Block] = []
    for block in blocks:
        pieces.extend(_split_block(block, limit))
    chunks: list[str] = []
    current: list[Block] = []
    for piece in pieces:
        formatted = block_html(piece)
        candidate = plain_text((*current, formatted))
        if current and len(candidate) > limit:
            chunks.append(plain_text(current))
            current = [formatted]
        else:
            current.append(formatted)
    if current:
        chunks.append(plain_text(current))
    return chunks or [""]


def _split_block(block: Block, limit: int) -> list[Block]:
    """Cut one block whose formatted text exceeds ``limit`` into blocks of the same style."""
    if len(block_html(block).text) + 2 <= limit:
        return [block]
    budget = limit - 16  # room for the tags and the bullet; lengths below are after escaping
    parts: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(block.text):
        for word in _fit(sentence, budget):
            joined = f"{current} {word}" if current else word
            if len(html.escape(joined, quote=False)) > budget and current:
                parts.append(current)
                current = word
            else:
                current = joined
    if current:
        parts.append(current)
    return [Block(block.style, part) for part in parts]


def _fit(sentence: str, budget: int) -> list[str]:
    """A sentence as itself when it fits, else its words (a giant word is cut hard)."""
    if len(html.escape(sentence, quote=False)) <= budget:
        return [sentence]
    words: list[str] = []
    for word in sentence.split():
        while len(html.escape(word, quote=False)) > budget:
            words.append(word[: budget // 5])
            word = word[budget // 5 :]
        if word:
            words.append(word)
    return words


def reply_markup(message: Message) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | \
        ReplyKeyboardRemove | None:
    """The message's buttons (inline), or its keys under the input field, or their removal."""
    if message.keys:
        return ReplyKeyboardMarkup(
            [[KeyboardButton(key.label, request_contact=key.request_contact or None)]
             for key in message.keys],
            resize_keyboard=True, one_time_keyboard=True)
    if message.clear_keys:
        return ReplyKeyboardRemove()
    return keyboard(message.buttons)


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """Inline keyboard of the engine's buttons (their ids are the callback data)."""
    if not rows:
        return None
    return _markup(tuple(tuple(row) for row in rows if row))


@functools.lru_cache(maxsize=1024)
def _markup(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    # The same question shows the same keyboard to everyone who reaches it in a language, and
    # PTB's objects are immutable: built once, sent many times.
    return SerialisedOnce(
        [[InlineKeyboardButton(b.label, callback_data=b.id) for b in row] for row in rows]
    )


class SerialisedOnce(InlineKeyboardMarkup):
    """An inline keyboard that PTB turns into a dict only once.

    PTB calls ``to_dict()`` on the markup of every request, walking each row and button by
    introspection: for a menu of a dozen buttons that was a quarter of an update's time in the
    profile. The object is immutable, so the dict is kept (in a private slot, which PTB leaves
    out of what it sends) and handed out again; PTB only reads it to make JSON.
    """

    __slots__ = ("_as_dict",)

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        if not recursive:
            return super().to_dict(recursive=False)
        try:
            return self._as_dict
        except AttributeError:
            as_dict = super().to_dict()
            # PTB freezes its objects against changes by users; this is a cache, set once.
            object.__setattr__(self, "_as_dict", as_dict)
            return as_dict
