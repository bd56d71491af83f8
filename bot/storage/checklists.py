"""Document checklists: which documents of a route the user has ticked off."""

from __future__ import annotations

from datetime import datetime

from bot.storage._base import Repository


class ChecklistsRepository(Repository):
    """Rows (user, route, document id) -> done."""

    async def set_done(
        self,
        user_id: int,
        route: str,
        document_id: str,
        done: bool = True,
        *,
        at: datetime | None = None,
    ) -> None:
        await self._sql.write(
            "INSERT INTO checklists (user_id, route, document_id, done, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, route, document_id) "
            "DO UPDATE SET done = excluded.done, updated_at = excluded.updated_at",
            (user_id, route, document_id, int(done), self._ts(at)),
        )

    async def get(self, user_id: int, route: str) -> dict[str, bool]:
        """Document id -> done, for the documents the user has touched on this route."""
        rows = await self._sql.all(
            "SELECT document_id, done FROM checklists WHERE user_id = ? AND route = ? "
            "ORDER BY document_id",
            (user_id, route),
        )
        return {row[0]: bool(row[1]) for row in rows}

    async def routes(self, user_id: int) -> list[str]:
        rows = await self._sql.all(
            "SELECT DISTINCT route FROM checklists WHERE user_id = ? ORDER BY route", (user_id,)
        )
        return [row[0] for row in rows]

    async def clear(self, user_id: int, route: str | None = None) -> int:
        """Forget ticks for one route (or all routes); returns the rows removed."""
        if route is None:
            return await self._sql.run("DELETE FROM checklists WHERE user_id = ?", (user_id,))
        return await self._sql.run(
            "DELETE FROM checklists WHERE user_id = ? AND route = ?", (user_id, route)
        )
