"""Button ids: short ASCII strings that fit Telegram's 64-byte callback data.

A button id is ``kind`` and its arguments joined by ``:``, e.g. ``a:citizenship:eaeu`` (answer
``eaeu`` to the question ``citizenship``). Every id the bot receives back is parsed and checked
against the user's current state before anything happens, so a forged or stale button can only
ever produce "this menu is out of date".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEPARATOR = ":"
MAX_BYTES = 64
_PART = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")

# kind -> number of arguments (a tuple: the numbers it may have)
KINDS: dict[str, int | tuple[int, ...]] = {
    "a": 2,  # answer: node, option
    "b": 0,  # back to the previous question
    "r": 0,  # start the interview again
    "s": 0,  # "your answers" summary
    "c": 1,  # change the answer to: node
    "x": 0,  # continue the interview (after a free-text question)
    "m": 1,  # start the interview: flow
    "f": 1,  # show the FAQ answer: entry
    "nq": 1,  # "not what I asked" under the direct answer: entry
    "l": 1,  # switch language: ru | kk | en
    "menu": 0,  # main menu
    "topics": 0,  # FAQ topics
    "t": 1,  # FAQ questions of a topic
    "docs": 0,  # documents of the current result
    "lang": 0,  # the language picker
    "help": 0,  # how to use the bot
    "contact": 0,  # talk to a consultant
    "sh": 0,  # share the result of the interview
    "noop": 0,  # a label-only button (calendar headers)
    "dl": 0,  # the deadlines menu
    "d": 1,  # open a deadline calculator: arrival | fee | renewal | quota | eaeu
    "dm": 2,  # calendar of a month for a calculator: calculator, YYYYMM
    "dd": 2,  # a date picked in the calendar: calculator, YYYYMMDD
    "rm": 2,  # remind me of this deadline: calculator, YYYYMMDD (the date typed or picked)
    "o": (1, 2),  # a section of the result: steps | fees | ... | all; and a page: 1, 2...
    "ck": (0, 1),  # the checklist (no argument), or mark a document ready / not ready: doc
    "fg": 1,  # delete my data: yes | no (only after /forget asked)
    "ho": 1,  # pass my case to a consultant: yes | no (only right after it was asked)
    "rc": 1,  # cancel a pending reminder: its id (checked against the user's reminders)
    "sc": 0,  # "check my case": the interview with the answers read from the user's message
    "tc": 0,  # "that's right": the answers read from the message are confirmed
}


@dataclass(frozen=True)
class Press:
    kind: str
    args: tuple[str, ...]


def encode(kind: str, *args: str) -> str:
    return SEPARATOR.join((kind, *args))


def decode(data: str | None) -> Press | None:
    """Parse a button id; None for anything malformed, unknown or oversized."""
    if not isinstance(data, str) or not data or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    kind, *args = data.split(SEPARATOR)
    counts = KINDS.get(kind)
    if counts is None or len(args) not in (counts if isinstance(counts, tuple) else (counts,)):
        return None
    if any(not _PART.match(arg) for arg in args):
        return None
    return Press(kind, tuple(args))
