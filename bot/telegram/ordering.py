"""Many users at once, each user's updates one after another.

PTB's ``concurrent_updates`` runs updates in parallel, which alone would let two fast presses of
the same user load the same session twice and lose one answer. ``PerUserUpdateProcessor`` keeps
the concurrency across users but queues the updates of one user (or chat, when there is no user)
behind an ``asyncio.Lock``; asyncio locks are fair, so the order of arrival is kept.

Usage::

    ApplicationBuilder().concurrent_updates(PerUserUpdateProcessor(256))
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def ordering_key(update: object) -> Hashable:
    """Whose queue the update joins: the user, else the chat, else its own (unordered)."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        return ("update", update.update_id)
    return ("object", id(update))


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across users, sequential (in arrival order) within one user."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._users: dict[Hashable, int] = {}  # updates holding or waiting for each lock
        # Called with each update once its handlers are done (bot.telegram.polling marks it
        # handled in the inbox), still under the user's lock.
        self.on_done: Callable[[object], Awaitable[None]] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = ordering_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                try:
                    await coroutine
                finally:
                    if self.on_done is not None:
                        await self.on_done(update)
        finally:
            # Drop the lock when nobody else waits for it, so the dict does not grow forever.
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key]
                del self._locks[key]

    @property
    def active_keys(self) -> int:
        """How many users have updates in progress (for tests and diagnostics)."""
        return len(self._locks)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
