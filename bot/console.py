"""Chat with the engine in a terminal, or over JSON lines for scripts and tests.

Interactive (``python -m bot chat``): buttons are numbered; type a number to press one, anything
else is sent as text (commands start with ``/``). Ctrl-D or ``/quit`` leaves.

JSON lines (``python -m bot chat --jsonl``), one object per input line::

    {"text": "/start"}            a message (commands are texts starting with "/")
    {"press": "m:worker"}         a button id

For every bot message one line ``{"type": "message", "text": ..., "buttons": [[{"id", "label"}]]}``
is written, then ``{"type": "ready"}`` once the input is handled. Input that is not valid gets
``{"type": "error", "message": ...}`` (then ``ready``) and the session goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from dialogs.engine import ChatEngine, EngineReply, UserInput
from dialogs.records import MemoryRecords
from dialogs.reply import Message, Reply
from dialogs.state import Session

MAX_LINE = 1_000_000  # characters of one JSON input line (\uXXXX escapes count 6 each)


def message_json(message: Message) -> dict[str, Any]:
    return {
        "type": "message",
        "text": message.text,
        "buttons": [[{"id": b.id, "label": b.label} for b in row] for row in message.buttons],
    }


def parse_jsonl_input(line: str) -> UserInput | str:
    """A :class:`UserInput`, or an error message explaining what is wrong with the line."""
    if len(line) > MAX_LINE:
        return f"line too long ({len(line)} characters; at most {MAX_LINE})"
    try:
        data = json.loads(line)
    except ValueError as error:
        return f"not valid JSON: {error}"
    if not isinstance(data, dict):
        return 'expected an object: {"text": "..."} or {"press": "<button id>"}'
    unknown = set(data) - {"text", "press"}
    if unknown:
        return f"unknown field(s): {', '.join(sorted(map(str, unknown)))}"
    if ("text" in data) == ("press" in data):
        return 'give exactly one of "text" or "press"'
    value = data.get("text", data.get("press"))
    if not isinstance(value, str):
        return f'"{next(iter(data))}" must be a string'
    return UserInput(text=value) if "text" in data else UserInput(press=value)


class Chat:
    """One console or JSON-lines conversation: the session and what the chat stores besides it
    (checklist ticks, in memory; /forget clears both)."""

    def __init__(self, engine: ChatEngine, session: Session) -> None:
        self.engine, self.session, self.records = engine, session, MemoryRecords()

    def handle(self, user_input: UserInput) -> EngineReply:
        reply = self.engine.handle(self.session, user_input, self.records)
        self.records.apply(reply.events)
        return reply


def run_jsonl(engine: ChatEngine, session: Session, lines: Iterable[str], out: TextIO) -> None:
    chat = Chat(engine, session)

    def emit(obj: dict[str, Any]) -> None:
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()

    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        parsed = parse_jsonl_input(line)
        if isinstance(parsed, str):
            emit({"type": "error", "message": parsed})
        else:
            for message in chat.handle(parsed).messages:
                emit(message_json(message))
        emit({"type": "ready"})


def render_console(reply: Reply, out: TextIO) -> list[str]:
    """Print a reply; return the button ids in the order of their numbers."""
    ids: list[str] = []
    for message in reply.messages:
        out.write("\n" + message.text + "\n")
        for row in message.buttons:
            cells = []
            for button in row:
                ids.append(button.id)
                cells.append(f"[{len(ids)}] {button.label}")
            out.write("   ".join(cells) + "\n")
    return ids


def run_console(engine: ChatEngine, session: Session, inp: TextIO, out: TextIO) -> None:
    out.write("Type a number to press a button, or any text. /quit to leave.\n")
    chat = Chat(engine, session)
    buttons = render_console(chat.handle(UserInput(text="/start")), out)
    while True:
        out.write("\n> ")
        out.flush()
        line = inp.readline()
        if not line:
            out.write("\n")
            return
        text = line.strip()
        if text in ("/quit", "/exit"):
            return
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            user_input = UserInput(press=buttons[int(text) - 1])
        else:
            user_input = UserInput(text=text)
        new_buttons = render_console(chat.handle(user_input), out)
        buttons = new_buttons or buttons
