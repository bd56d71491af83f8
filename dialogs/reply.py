"""What the engine answers: messages made of styled blocks, with rows of buttons.

The engine never formats for a particular screen. Adapters render blocks: the console and
JSON-lines chats as plain text (:func:`plain_text`), Telegram as escaped HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Style = Literal["title", "heading", "text", "item", "note"]


@dataclass(frozen=True)
class Block:
    style: Style
    text: str
    url: str | None = None  # the text links there (Telegram); plain text shows it after


@dataclass(frozen=True)
class Button:
    id: str
    label: str


@dataclass(frozen=True)
class Key:
    """A key of the keyboard under the input field (not a button under a message): its label is
    sent as a text when pressed; ``request_contact`` makes it share the user's phone number."""

    label: str
    request_contact: bool = False


@dataclass(frozen=True)
class Message:
    blocks: tuple[Block, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()
    # True when this message replaces the one whose button was pressed (Telegram edits it).
    replace: bool = False
    # Keys to show under the input field (one per row), or clear_keys to take them away.
    keys: tuple[Key, ...] = ()
    clear_keys: bool = False

    @property
    def text(self) -> str:
        return plain_text(self.blocks)


@dataclass
class Reply:
    messages: list[Message] = field(default_factory=list)

    def add(
        self,
        blocks: list[Block] | tuple[Block, ...],
        buttons: list[list[Button]] | tuple[tuple[Button, ...], ...] = (),
        *,
        replace: bool = False,
        keys: tuple[Key, ...] = (),
        clear_keys: bool = False,
    ) -> Reply:
        rows = tuple(tuple(row) for row in buttons if row)
        assert not (keys and (rows or replace)), "keys go on a new message without buttons"
        self.messages.append(Message(tuple(blocks), rows, replace, keys, clear_keys))
        return self

    def button_ids(self) -> set[str]:
        return {b.id for m in self.messages for row in m.buttons for b in row}


def text_blocks(text: str, style: Style = "text") -> list[Block]:
    """Split a knowledge-base text into paragraphs and ``- `` bullet items."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block(style, " ".join(part.strip() for part in paragraph)))
            paragraph.clear()

    for line in text.strip().splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith(("- ", "• ")):
            flush()
            blocks.append(Block("item", stripped[2:].strip()))
        elif blocks and blocks[-1].style == "item" and not paragraph and line.startswith("  "):
            # a wrapped continuation line of a bullet
            blocks[-1] = Block("item", f"{blocks[-1].text} {stripped}")
        else:
            paragraph.append(stripped)
    flush()
    return blocks


def plain_text(blocks: tuple[Block, ...] | list[Block]) -> str:
    """Blocks as plain text: headings set apart by blank lines, items with bullets."""
    lines: list[str] = []
    previous: Style | None = None
    for block in blocks:
        if lines and _needs_gap(previous, block.style):
            lines.append("")
        text = f"{block.text}: {block.url}" if block.url else block.text
        lines.append(f"• {text}" if block.style == "item" else text)
        previous = block.style
    return "\n".join(lines)


def _needs_gap(previous: Style | None, current: Style) -> bool:
    """A blank line before headings, between paragraphs, and between a paragraph and a list."""
    if current in ("title", "heading"):
        return True
    if current == "note" and previous == "note":
        return False  # sources, review date and disclaimer lines stay together
    if current in ("text", "note"):
        return previous not in (None, "title", "heading")
    return previous in ("text", "note")
