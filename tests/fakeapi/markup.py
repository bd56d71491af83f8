"""Checks Telegram applies to message text and keyboards, so the fake rejects what Telegram would.

``render_text`` validates HTML the way Telegram's ``parse_mode=HTML`` does (only its tags; bare
``<`` or ``&`` are errors) and returns the plain text the user sees. ``check_reply_markup``
enforces the 1-64 byte ``callback_data`` limit and non-empty button labels.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
MAX_TEXT_LENGTH = 4096
_BARE_AMP = re.compile(r"&(?!(?:#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);)")
_BARE_LT = re.compile(r"<(?![A-Za-z/])")


class TelegramBadRequest(Exception):
    """Becomes ``400 Bad Request: <description>``."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise TelegramBadRequest(f'can\'t parse entities: Unsupported start tag "{tag}"')
        self.open_tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise TelegramBadRequest(f'can\'t parse entities: Unsupported start tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or self.open_tags[-1] != tag:
            raise TelegramBadRequest(f'can\'t parse entities: Unexpected end tag "{tag}"')
        self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def utf16_length(text: str) -> int:
    """Telegram measures text in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def render_text(text: Any, parse_mode: str | None, *, field: str = "message text") -> str:
    """The plain text the user would see; raises TelegramBadRequest like Telegram."""
    if not isinstance(text, str) or not text.strip():
        raise TelegramBadRequest(f"{field} is empty")
    plain = text
    if parse_mode and parse_mode.upper() == "HTML":
        if _BARE_AMP.search(text) or _BARE_LT.search(text):
            raise TelegramBadRequest("can't parse entities: unescaped '<' or '&' in the text")
        parser = _HtmlText()
        parser.feed(text)
        parser.close()
        if parser.open_tags:
            raise TelegramBadRequest(
                f"can't parse entities: Can't find end tag corresponding to start tag "
                f'"{parser.open_tags[-1]}"'
            )
        plain = "".join(parser.parts)
    plain = plain.strip()  # Telegram trims surrounding whitespace
    if not plain:
        raise TelegramBadRequest(f"{field} is empty")
    if utf16_length(plain) > MAX_TEXT_LENGTH:
        raise TelegramBadRequest("message is too long")
    return plain


_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "web_app",
    "login_url",
    "copy_text",
    "pay",
    "callback_game",
)


def check_reply_markup(markup: Any) -> None:
    """Reject keyboards Telegram would reject (the checks that catch real bugs)."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise TelegramBadRequest("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise TelegramBadRequest(
                'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                    raise TelegramBadRequest("text buttons are unallowed in the inline keyboard")
                if not any(key in button for key in _INLINE_ACTIONS):
                    raise TelegramBadRequest("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                    raise TelegramBadRequest("BUTTON_DATA_INVALID")
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not rows:
            raise TelegramBadRequest("keyboard must be non-empty")
        for row in rows:
            for button in row:
                label = button if isinstance(button, str) else (button or {}).get("text", "")
                if not str(label).strip():
                    raise TelegramBadRequest("keyboard button text must be non-empty")
