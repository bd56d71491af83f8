"""Users: chosen language, first and last contact, whether they blocked the bot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage._base import Repository, from_ts, to_ts


@dataclass(frozen=True)
class UserRecord:
    user_id: int
    language: str | None
    first_seen: datetime
    last_seen: datetime
    blocked: bool


@dataclass(frozen=True)
class UserStats:
    total: int
    blocked: int
    active: int  # last seen at or after ``active_since`` (all users when it is None)
    by_language: dict[str, int]  # language code -> users; "" for users without a choice


class UsersRepository(Repository):
    """One row per Telegram user id."""

    async def get(self, user_id: int) -> UserRecord | None:
        row = await self._sql.one(
            "SELECT user_id, language, first_seen, last_seen, blocked FROM users WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return None
        return UserRecord(
            user_id=row[0],
            language=row[1],
            first_seen=from_ts(row[2]),  # type: ignore[arg-type]
            last_seen=from_ts(row[3]),  # type: ignore[arg-type]
            blocked=bool(row[4]),
        )

    async def touch(
        self, user_id: int, *, language: str | None = None, at: datetime | None = None
    ) -> None:
        """Record contact from the user: create the row or move last_seen (and, when given,
        store the language in the same statement: one statement per update is cheaper).

        A user who writes to the bot has evidently unblocked it, so ``blocked`` is cleared.
        """
        ts = self._ts(at)
        if language is None:
            await self._sql.write(
                "INSERT INTO users (user_id, first_seen, last_seen) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET last_seen = excluded.last_seen, blocked = 0",
                (user_id, ts, ts),
            )
            return
        await self._sql.write(
            "INSERT INTO users (user_id, language, first_seen, last_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET last_seen = excluded.last_seen, blocked = 0, "
            "language = excluded.language",
            (user_id, language, ts, ts),
        )

    async def set_language(
        self, user_id: int, language: str | None, *, at: datetime | None = None
    ) -> None:
        """Store the user's language choice (creating the row if needed)."""
        ts = self._ts(at)
        await self._sql.write(
            "INSERT INTO users (user_id, language, first_seen, last_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET language = excluded.language",
            (user_id, language, ts, ts),
        )

    async def set_blocked(
        self, user_id: int, blocked: bool = True, *, at: datetime | None = None
    ) -> None:
        """Mark that the user blocked (or unblocked) the bot, e.g. after a 403 from Telegram."""
        ts = self._ts(at)
        await self._sql.write(
            "INSERT INTO users (user_id, first_seen, last_seen, blocked) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET blocked = excluded.blocked",
            (user_id, ts, ts, int(blocked)),
        )

    async def inactive(self, last_seen_before: datetime, *, limit: int = 500) -> list[int]:
        """Users not seen since the given moment and not waiting for a reminder (ascending)."""
        rows = await self._sql.all(
            "SELECT user_id FROM users WHERE last_seen < ? AND user_id NOT IN ("
            "SELECT user_id FROM reminders WHERE sent_at IS NULL AND cancelled = 0) "
            "ORDER BY user_id LIMIT ?",
            (to_ts(last_seen_before), limit),
        )
        return [row[0] for row in rows]

    async def ids(self, *, include_blocked: bool = False) -> list[int]:
        """All user ids in ascending order (without blocked ones unless asked)."""
        where = "" if include_blocked else " WHERE blocked = 0"
        rows = await self._sql.all(f"SELECT user_id FROM users{where} ORDER BY user_id")
        return [row[0] for row in rows]

    async def stats(self, *, active_since: datetime | None = None) -> UserStats:
        """Counts for the admin statistics."""
        since = 0 if active_since is None else to_ts(active_since)
        row = await self._sql.one(
            "SELECT count(*), coalesce(sum(blocked), 0), "
            "coalesce(sum(last_seen >= ?), 0) FROM users",
            (since,),
        )
        langs = await self._sql.all(
            "SELECT coalesce(language, ''), count(*) FROM users GROUP BY 1 ORDER BY 2 DESC"
        )
        assert row is not None  # an aggregate always returns one row
        return UserStats(
            total=row[0], blocked=row[1], active=row[2], by_language={r[0]: r[1] for r in langs}
        )
