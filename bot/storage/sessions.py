"""Dialog sessions: the dialog engine's state for a user, stored as opaque JSON text."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage._base import Repository, dumps, from_ts, loads

logger = logging.getLogger(__name__)

# Above this size a session threatens the 4 KB-per-user budget; the engine should trim its
# history. We warn rather than refuse, because refusing would break the user's dialog.
STATE_WARN_BYTES = 3072


@dataclass(frozen=True)
class SessionRecord:
    user_id: int
    state: dict[str, Any]
    kb_version: str
    updated_at: datetime


class SessionsRepository(Repository):
    """One current session per user (flow, node, answers, history... as the engine sees fit)."""

    async def get(self, user_id: int) -> SessionRecord | None:
        row = await self._sql.one(
            "SELECT state, kb_version, updated_at FROM sessions WHERE user_id = ?", (user_id,)
        )
        if row is None:
            return None
        return SessionRecord(
            user_id=user_id,
            state=loads(row[0]),
            kb_version=row[1],
            updated_at=from_ts(row[2]),  # type: ignore[arg-type]
        )

    async def get_with_language(self, user_id: int) -> tuple[str | None, SessionRecord | None]:
        """The user's stored language and session in one query (the start of every update)."""
        row = await self._sql.one(
            "SELECT u.language, s.state, s.kb_version, s.updated_at FROM (SELECT ? AS id) AS k "
            "LEFT JOIN users AS u ON u.user_id = k.id LEFT JOIN sessions AS s ON s.user_id = k.id",
            (user_id,),
        )
        if row is None or row[1] is None:
            return (row[0] if row is not None else None), None
        return row[0], SessionRecord(
            user_id=user_id,
            state=loads(row[1]),
            kb_version=row[2],
            updated_at=from_ts(row[3]),  # type: ignore[arg-type]
        )

    async def save(
        self,
        user_id: int,
        state: Mapping[str, Any],
        kb_version: str,
        *,
        at: datetime | None = None,
    ) -> str:
        """Replace the user's session; returns the JSON text stored. ``state`` must be
        JSON-serialisable (TypeError if not)."""
        text = dumps(dict(state))
        size = len(text.encode("utf-8"))
        if size > STATE_WARN_BYTES:
            logger.warning("session of user %s is %d bytes; trim its history", user_id, size)
        await self._sql.write(
            "INSERT INTO sessions (user_id, state, kb_version, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, "
            "kb_version = excluded.kb_version, updated_at = excluded.updated_at",
            (user_id, text, kb_version, self._ts(at)),
        )
        return text

    async def delete(self, user_id: int) -> bool:
        """Drop the session (e.g. on /restart); True if there was one."""
        return await self._sql.run("DELETE FROM sessions WHERE user_id = ?", (user_id,)) > 0

    async def count(self) -> int:
        return int(await self._sql.scalar("SELECT count(*) FROM sessions"))
