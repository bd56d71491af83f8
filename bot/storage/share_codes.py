"""Share codes: an opaque code that stands for a saved result, valid until it expires."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.storage._base import Repository, dumps, from_ts, loads

# 12 random bytes -> 16 URL-safe characters, valid in a /start deep link (A-Z a-z 0-9 _ -).
CODE_BYTES = 12


@dataclass(frozen=True)
class ShareCode:
    code: str
    user_id: int | None
    payload: Any
    created_at: datetime
    expires_at: datetime


class ShareCodesRepository(Repository):
    async def create(
        self,
        payload: Any,
        *,
        ttl: timedelta,
        user_id: int | None = None,
        at: datetime | None = None,
    ) -> ShareCode:
        """Store ``payload`` under a new random code that expires after ``ttl``."""
        created = self._clock() if at is None else at
        expires = created + ttl
        code = secrets.token_urlsafe(CODE_BYTES)
        await self._sql.write(
            "INSERT INTO share_codes (code, user_id, payload, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (code, user_id, dumps(payload), self._ts(created), self._ts(expires)),
        )
        created_at, expires_at = from_ts(self._ts(created)), from_ts(self._ts(expires))
        return ShareCode(code, user_id, payload, created_at, expires_at)  # type: ignore[arg-type]

    async def get(self, code: str, *, at: datetime | None = None) -> ShareCode | None:
        """The share code, or None when unknown or expired."""
        row = await self._sql.one(
            "SELECT code, user_id, payload, created_at, expires_at FROM share_codes "
            "WHERE code = ? AND expires_at > ?",
            (code, self._ts(at)),
        )
        if row is None:
            return None
        return ShareCode(row[0], row[1], loads(row[2]), from_ts(row[3]), from_ts(row[4]))  # type: ignore[arg-type]

    async def live_for(self, user_id: int, *, at: datetime | None = None) -> list[ShareCode]:
        """The user's codes that still work, newest first."""
        rows = await self._sql.all(
            "SELECT code, user_id, payload, created_at, expires_at FROM share_codes "
            "WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC",
            (user_id, self._ts(at)),
        )
        return [ShareCode(r[0], r[1], loads(r[2]), from_ts(r[3]), from_ts(r[4]))  # type: ignore[arg-type]
                for r in rows]

    async def purge_expired(self, *, at: datetime | None = None) -> int:
        return await self._sql.run("DELETE FROM share_codes WHERE expires_at <= ?", (self._ts(at),))
