"""Long polling that loses no update: each batch is stored before Telegram is told it arrived.

PTB's own long polling confirms a batch (the next ``getUpdates`` with a higher offset) as soon as
it is in the Application's queue, before it is handled: a process killed then never answers those
updates (#17 point 9: 11 of 40 presses and all 40 texts were lost). Here, for each batch:

1. ``getUpdates(offset)``; updates at or below the newest id already stored are skipped (they
   were stored before, and handled or are pending);
2. the batch goes into the inbox (``bot.telegram.inbox``) and is committed;
3. only then does the next ``getUpdates`` carry the higher offset that confirms it, and the
   updates go to the Application's queue, handled as always (per user in order).

At start the pending ones are handled first, in order, then polling resumes after the newest
stored id. If the database cannot store a batch (a full disk, a file locked by another process),
the batch is handled anyway: its turns fail the same way and the user gets the usual apology
rather than silence until storage is back. The webhook does the same (``bot.telegram.webhook``).

A turn's reply waits in the outbox from the turn's commit until it has been sent, so a kill in
between sends it at the next start (``bot.telegram.inbox``); a kill in the middle of a reply of
several parts sends the parts already out once more.

Usage (``python -m bot run`` does this)::

    asyncio.run(run_polling(application, allowed_updates=ALLOWED_UPDATES))
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Sequence

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from bot.storage import StorageError
from bot.telegram.inbox import UpdateInbox, running
from bot.telegram.service import BotService
from bot.telegram.signals import STOP_KEY

logger = logging.getLogger(__name__)

POLL_TIMEOUT = 10  # seconds Telegram may hold a getUpdates open
RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)  # after failures in a row (network, storage)


class DurablePolling:
    """Fetch, store, confirm, hand over; see the module docstring."""

    def __init__(self, application: Application, service: BotService,
                 allowed_updates: Sequence[str] | None = None, *,
                 timeout: int = POLL_TIMEOUT) -> None:
        self.application = application
        self.service = service
        self.allowed_updates = list(allowed_updates) if allowed_updates else None
        self.timeout = timeout
        self.offset: int | None = None
        self._stopped = asyncio.Event()
        self.inbox = UpdateInbox(application, service)

    def stop(self) -> None:
        self._stopped.set()

    async def replay(self) -> None:
        """Answer what a killed process left pending; poll on after the newest stored id."""
        last = await self.inbox.replay()
        self.offset = None if last is None else last + 1

    async def run(self) -> None:
        """Poll until :meth:`stop`; raises ``InvalidToken`` when Telegram refuses the token."""
        failures = 0
        while not self._stopped.is_set():
            try:
                updates = await self._fetch()
                if updates:
                    try:
                        await self.inbox.store(updates)
                    except StorageError as error:
                        # A full disk or a locked file: the turns would fail the same way, and
                        # their handlers apologise, which beats silence until storage is back.
                        logger.warning("could not store %d update(s) before handling them: %s",
                                       len(updates), error)
                    self.offset = updates[-1].update_id + 1
                    for update in updates:
                        await self.application.update_queue.put(update)
                failures = 0
            except InvalidToken:
                raise
            except RetryAfter as error:
                wait = error.retry_after
                await self._sleep(wait.total_seconds() if isinstance(wait, dt.timedelta)
                                  else float(wait))
            except (NetworkError, Conflict, TelegramError) as error:
                delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)]
                failures += 1
                logger.warning("polling: %s: %s; again in %.0f s", type(error).__name__, error,
                               delay)
                await self._sleep(delay)

    async def _fetch(self) -> list[Update]:
        """One getUpdates, ended early by :meth:`stop` (the unconfirmed batch is simply fetched
        again next time)."""
        request = asyncio.ensure_future(self.application.bot.get_updates(
            offset=self.offset, timeout=self.timeout, allowed_updates=self.allowed_updates))
        stopped = asyncio.ensure_future(self._stopped.wait())
        try:
            done, _ = await asyncio.wait({request, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
        if request not in done:
            request.cancel()
            return []
        last = None if self.offset is None else self.offset - 1
        return [u for u in request.result() if last is None or u.update_id > last]

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)


async def run_polling(application: Application,
                      allowed_updates: Sequence[str] | None = None) -> None:
    """What ``Application.run_polling`` does, with :class:`DurablePolling` for the fetching:
    initialize, ``post_init``, start, answer what was pending, poll until the first stop signal,
    then stop (pending updates are finished), ``post_stop``, shutdown, ``post_shutdown``."""
    service: BotService = application.bot_data["service"]
    poller = DurablePolling(application, service, allowed_updates)
    application.bot_data[STOP_KEY] = poller.stop  # what the first SIGTERM calls
    async with running(application):
        # getUpdates is refused while a webhook is set (e.g. after running with --webhook).
        await application.bot.delete_webhook(drop_pending_updates=False)
        await poller.replay()
        await poller.run()
