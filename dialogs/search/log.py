"""Where unanswered and low-confidence questions go, so admins can grow the FAQ from real wording.

The Telegram side persists them in SQLite through its own implementation of :class:`QuestionLog`;
:class:`MemoryQuestionLog` keeps them in a list for the console and tests.

Usage::

    log = MemoryQuestionLog()
    await record_if_unsure(log, "какая погода", "ru", result)
    log.entries[0].best_score
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from .model import SearchResult

# Kinds worth an admin's look: the bot either guessed or gave up.
UNSURE_KINDS = frozenset({"suggest", "none"})


@runtime_checkable
class QuestionLog(Protocol):
    """Records a question the bot could not answer with confidence."""

    def record(
        self, text: str, lang: str, at: datetime, best_score: float | None, kind: str
    ) -> Awaitable[None] | None: ...


@dataclass(frozen=True)
class LoggedQuestion:
    text: str
    lang: str
    at: datetime
    best_score: float | None
    kind: str


@dataclass
class MemoryQuestionLog:
    """A :class:`QuestionLog` that keeps everything in memory (newest last)."""

    entries: list[LoggedQuestion] = field(default_factory=list)

    def record(
        self, text: str, lang: str, at: datetime, best_score: float | None, kind: str
    ) -> None:
        self.entries.append(LoggedQuestion(text, lang, at, best_score, kind))


async def record_if_unsure(
    log: QuestionLog, text: str, lang: str, result: SearchResult, at: datetime | None = None
) -> bool:
    """Record `text` when `result` is a suggestion or nothing; returns whether it was recorded.

    `lang` is the language the question was written in when known (``result.query_lang``), else
    the interface language. Works with synchronous and asynchronous logs alike.
    """
    if result.kind not in UNSURE_KINDS:
        return False
    outcome = log.record(
        text, result.query_lang or lang, at or datetime.now(UTC), result.best_score, result.kind
    )
    if inspect.isawaitable(outcome):
        await outcome
    return True
