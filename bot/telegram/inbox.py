"""What both ways of receiving updates share: store each update before Telegram is told it
arrived, answer what a killed process left pending, mark each update handled.

Telegram forgets an update once it is confirmed: by the next ``getUpdates`` with a higher offset
(long polling, ``bot.telegram.polling``) or by the "200 OK" of the webhook call
(``bot.telegram.webhook``). PTB's own polling and webhook server confirm as soon as the update is
in the Application's queue, before it is handled, so a process killed then (``kill -9``, the OOM
killer, a service manager out of patience) never answers it (#17 point 9). Here the update goes
into the ``inbox`` table (``bot.storage.inbox``), committed, before it is confirmed.

An update is marked handled in the same transaction as the user's turn (so a restart never
applies a turn twice), or right after its handlers for anything else (inline queries, admin
commands...). The turn's reply is kept in the same transaction too (``bot.storage.outbox``) until
it has been sent. At start, the replies a killed process committed but did not send go out
first (as new messages), then the pending updates are handed to the Application, oldest first.

Usage::

    inbox = UpdateInbox(application, service)   # before the Application handles anything
    async with running(application):            # what Application.run_polling does around it
        offset = await inbox.replay()
        ...
        await inbox.store(updates)              # before confirming them to Telegram
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.storage import StorageError
from bot.telegram.delivery import from_stored, send
from bot.telegram.ordering import PerUserUpdateProcessor
from bot.telegram.service import BotService

logger = logging.getLogger(__name__)


class UpdateInbox:
    """The Application's updates through the inbox table; see the module docstring."""

    def __init__(self, application: Application, service: BotService) -> None:
        self.application = application
        self.service = service
        processor = application.update_processor
        if isinstance(processor, PerUserUpdateProcessor):
            processor.on_done = self._done
        service.inbox_enabled = True

    async def replay(self) -> int | None:
        """Send the replies a previous process committed but did not send (the outbox), then
        hand the updates stored but not handled to the Application, oldest first; returns the
        newest update id ever stored (``None`` for none), after which long polling goes on."""
        async with self.service.database.transaction() as tx:
            unsent = await tx.outbox.pending()
        for item in unsent:
            try:
                await send(self.application.bot, item.chat_id,
                           from_stored(item.payload, self.application.bot))
            except TelegramError as error:  # blocked, chat gone...: as it would have been then
                logger.warning("could not send the reply of update %s after the restart: %s",
                               item.update_id, error)
            async with self.service.database.transaction() as tx:
                await tx.outbox.sent(item.update_id)
        if unsent:
            logger.info("sent %d reply(ies) committed before the restart", len(unsent))
        async with self.service.database.transaction() as tx:
            pending = await tx.inbox.pending()
            last = await tx.inbox.last_id()
        for item in pending:
            update = Update.de_json(item.payload, self.application.bot)
            if update is not None:
                await self.application.update_queue.put(update)
        if pending:
            logger.info("answering %d update(s) received before the restart", len(pending))
        return last

    async def store(self, updates: Sequence[Update]) -> None:
        """Store a fetched batch (an update stored before is kept as it was)."""
        async with self.service.database.transaction() as tx:
            await tx.inbox.add([(u.update_id, _user_id(u), u.to_dict()) for u in updates])

    async def receive(self, update: Update) -> bool:
        """Store one delivered update; False when it was stored before (delivered again)."""
        async with self.service.database.transaction() as tx:
            return await tx.inbox.receive(update.update_id, _user_id(update), update.to_dict())

    async def _done(self, update: object) -> None:
        """After an update's handlers: mark it handled unless its turn already did."""
        if not isinstance(update, Update) or self.service.handled_by_turn(update.update_id):
            return
        try:
            async with self.service.database.transaction() as tx:
                await tx.inbox.handled(update.update_id)
        except StorageError as error:  # it will be handled again after a restart: harmless
            logger.warning("could not mark update %s handled: %s", update.update_id, error)


def _user_id(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


@contextlib.asynccontextmanager
async def running(application: Application) -> AsyncIterator[None]:
    """The Application's life around the receiving, as PTB's ``run_polling`` and
    ``run_webhook`` lead it: initialize, ``post_init``, start; then stop (the updates in its
    queue are finished), ``post_stop``, shutdown, ``post_shutdown``."""
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        await application.start()
        try:
            yield
        finally:
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
