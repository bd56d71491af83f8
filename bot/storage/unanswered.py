"""Unanswered questions: free text the FAQ matcher could not answer well, to grow the base."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage._base import Repository, from_ts, to_ts

# Telegram allows 4096 characters; the first few hundred are enough to see what was asked and
# keep the row small.
MAX_TEXT_CHARS = 500


@dataclass(frozen=True)
class UnansweredRecord:
    id: int
    user_id: int | None
    text: str
    lang: str
    at: datetime
    best_score: float | None
    kind: str


@dataclass(frozen=True)
class UnansweredSummary:
    """The same question (letter case ignored, Cyrillic too) asked by ``count`` people: one person
    sending it sixty times is one (#17)."""

    text: str
    lang: str
    kind: str
    count: int
    last_at: datetime
    best_score: float | None


class UnansweredRepository(Repository):
    async def add(
        self,
        text: str,
        lang: str,
        *,
        kind: str = "no_match",
        best_score: float | None = None,
        user_id: int | None = None,
        at: datetime | None = None,
    ) -> None:
        """Record a question; ``kind`` says why (e.g. no_match, low_score, media)."""
        await self._sql.write(
            "INSERT INTO unanswered (user_id, text, lang, at, best_score, kind) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, text.strip()[:MAX_TEXT_CHARS], lang, self._ts(at), best_score, kind),
        )

    async def latest(self, limit: int = 20) -> list[UnansweredRecord]:
        rows = await self._sql.all(
            "SELECT id, user_id, text, lang, at, best_score, kind FROM unanswered "
            "ORDER BY at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [
            UnansweredRecord(r[0], r[1], r[2], r[3], from_ts(r[4]), r[5], r[6])  # type: ignore[arg-type]
            for r in rows
        ]

    async def summary(
        self, limit: int = 20, *, since: datetime | None = None
    ) -> list[UnansweredSummary]:
        """Distinct questions, asked by the most people first, then most recent. A row without a
        user (the command line's ``ask``) counts as a person of its own."""
        rows = await self._sql.all(
            "SELECT min(text), lang, kind, count(DISTINCT coalesce(user_id, -id)) AS people, "
            "max(at), max(best_score) FROM unanswered "
            "WHERE at >= ? GROUP BY casefold(text), lang, kind "
            "ORDER BY people DESC, max(at) DESC LIMIT ?",
            (0 if since is None else to_ts(since), limit),
        )
        return [
            UnansweredSummary(r[0], r[1], r[2], r[3], from_ts(r[4]), r[5])  # type: ignore[arg-type]
            for r in rows
        ]

    async def count(self, *, since: datetime | None = None) -> int:
        return int(
            await self._sql.scalar(
                "SELECT count(*) FROM unanswered WHERE at >= ?",
                (0 if since is None else to_ts(since),),
            )
        )
