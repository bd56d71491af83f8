"""Hand-off to a human consultant, when BOT_CONSULTANT_CHAT_ID is set: storing and posting.

The screens (consent, asking for a contact, reading it, "thank you") are the engine's
(``dialogs.handoff``); this module does what needs Telegram and the database:

1. on the event ``handoff_requested`` {contact kind, value}, inside the turn's transaction, the
   request is stored in ``handoffs`` with its card (in the consultants' language), and the event
   keeps only the request's id and the contact's kind (the contact itself lives in the card);
2. after the commit the user's "thank you" (the engine's reply) is sent, then the card is posted
   to the consultants' chat: the user is answered whatever the post does. The post is marked
   "posting" in the database before it starts: a request found "posting" after a restart (the
   process died mid-post, so the card may or may not be in the chat) is posted again with a
   note saying it may be a repeat, never silently twice and never lost.

Delivery never drops a request silently: a failed post is recorded (attempts, last error) and
retried by a JobQueue job after ``RETRY_DELAYS``; pending requests are retried after a restart;
after the last attempt the request is marked failed and sent to every admin (BOT_ADMIN_IDS) with
the error, and logged.

Usage (``bot.telegram.features`` does this)::

    handoff.install(service, application)       # does nothing without BOT_CONSULTANT_CHAT_ID
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Sequence
from typing import Any

from telegram import User
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.storage import Transaction
from bot.storage.handoffs import PENDING, POSTING
from bot.telegram.handoff_card import card_html
from bot.telegram.service import BotService
from dialogs.admin import handoff_failed_note, handoff_repeat_note
from dialogs.contact import Contact
from dialogs.engine import EngineReply, Event
from dialogs.handoff import REQUESTED
from dialogs.state import Session

logger = logging.getLogger(__name__)

# Seconds before each retry of a failed delivery; the attempts are 1 + len(RETRY_DELAYS).
RETRY_DELAYS: tuple[float, ...] = (2.0, 15.0, 60.0, 300.0, 1800.0)
HANDOFF_KEY = "handoff"  # application.bot_data[HANDOFF_KEY] is the Handoff (when installed)


class Handoff:
    def __init__(self, service: BotService, application: Application, chat_id: int,
                 delays: Sequence[float] = RETRY_DELAYS) -> None:
        self.service = service
        self.application = application
        self.chat_id = chat_id
        self.delays = tuple(delays)
        self._posting: set[int] = set()  # requests this process is posting right now

    async def on_reply(self, tx: Transaction, session: Session, user: User,
                       reply: EngineReply) -> None:
        """Store each request with its card; the event keeps no contact."""
        for index, event in enumerate(reply.events):
            if event.kind != REQUESTED or "value" not in event.data:
                continue
            contact = Contact(str(event.data["contact"]), str(event.data["value"]))
            ticks = await tx.checklists.get(user.id, session.last_route or "")
            card = card_html(self.service.engine, session, user, contact, ticks)
            handoff_id = await tx.handoffs.add(user.id, {"card": card, "lang": session.lang})
            reply.events[index] = Event(REQUESTED, {"handoff": handoff_id,
                                                    "contact": contact.kind})

    async def after_reply(self, user_id: int, events: list[Event]) -> None:
        """Stored and the user's "thank you" sent: now the post, whatever it does (a failure is
        retried; a kill before it leaves the request pending for the restart)."""
        for event in events:
            if event.kind == REQUESTED and isinstance(event.data.get("handoff"), int):
                await self.deliver(event.data["handoff"])

    # ---- delivery to the consultants ----------------------------------------------------

    async def deliver(self, handoff_id: int) -> bool:
        """Post the stored card to the consultants' chat; on failure record it and retry later
        (or, after the last attempt, hand it to the admins). True when delivered."""
        if handoff_id in self._posting:
            return False  # this process is posting it right now
        self._posting.add(handoff_id)
        try:
            return await self._deliver(handoff_id)
        finally:
            self._posting.discard(handoff_id)

    async def _deliver(self, handoff_id: int) -> bool:
        db = self.service.database
        async with db.transaction() as tx:
            record = await tx.handoffs.get(handoff_id)
            if record is None or record.status not in (PENDING, POSTING):
                return True  # delivered meanwhile, or deleted by /forget
            await tx.handoffs.mark_posting(handoff_id)
        chunks = _card_of(record.payload)
        if record.status == POSTING:  # a process died while posting it: it may be there already
            lang = self.service.kb.meta.default_language
            chunks = [_escape(handoff_repeat_note(lang, handoff_id)), *chunks]
        try:
            for chunk in chunks:
                await self.application.bot.send_message(self.chat_id, chunk)
        except TelegramError as error:
            attempts = record.attempts + 1
            give_up = attempts > len(self.delays)
            reason = f"{type(error).__name__}: {error.message}"
            async with db.transaction() as tx:
                await tx.handoffs.mark_failed(handoff_id, reason, give_up=give_up)
            if give_up:
                logger.error("hand-off %s not delivered after %d attempts (%s); reporting to "
                             "admins", handoff_id, attempts, reason)
                await self._report(handoff_id, attempts, reason, chunks)
            else:
                delay = self.delays[attempts - 1]
                logger.warning("hand-off %s: delivery attempt %d failed (%s); retry in %.0f s",
                               handoff_id, attempts, reason, delay)
                self._schedule(handoff_id, delay)
            return False
        async with db.transaction() as tx:
            await tx.handoffs.mark_sent(handoff_id)
        logger.info("hand-off %s delivered to the consultants' chat", handoff_id)
        return True

    def _schedule(self, handoff_id: int, delay: float) -> None:
        jobs = self.application.job_queue
        if jobs is not None:
            jobs.run_once(self._retry_job, delay, data=handoff_id, name=f"handoff-{handoff_id}")
        else:  # PTB without its job-queue extra: a plain task does the same
            self.application.create_task(self._later(handoff_id, delay))

    async def _retry_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        job = context.job
        if job is not None and isinstance(job.data, int):
            await self.deliver(job.data)

    async def _later(self, handoff_id: int, delay: float) -> None:
        await asyncio.sleep(delay)
        await self.deliver(handoff_id)

    async def resume_pending(self, context: ContextTypes.DEFAULT_TYPE | None = None) -> None:
        """After a restart: deliver the requests still pending (their jobs died with the old
        process)."""
        async with self.service.database.read() as r:
            pending = await r.handoffs.pending()
        for record in pending:
            await self.deliver(record.id)

    async def _report(self, handoff_id: int, attempts: int, reason: str,
                      chunks: list[str]) -> None:
        admins = sorted(self.service.settings.admin_ids)
        if not admins:
            logger.error("hand-off %s failed and BOT_ADMIN_IDS is empty: it stays in the "
                         "handoffs table with status 'failed'", handoff_id)
        for admin_id in admins:
            lang = await self.service.language_of(_user(admin_id))
            note = handoff_failed_note(lang, handoff_id, attempts, reason)
            try:
                await self.application.bot.send_message(admin_id, _escape(note))
                for chunk in chunks:
                    await self.application.bot.send_message(admin_id, chunk)
            except TelegramError as error:
                logger.error("could not report hand-off %s to admin %s: %s",
                             handoff_id, admin_id, error)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _user(user_id: int) -> User:
    return User(user_id, "admin", is_bot=False)


def _card_of(payload: Any) -> list[str]:
    card = payload.get("card") if isinstance(payload, dict) else None
    if isinstance(card, list) and all(isinstance(chunk, str) for chunk in card) and card:
        return card
    return [_escape(str(payload))]  # an odd row is still delivered, as text


def install(service: BotService, application: Application) -> Handoff | None:
    chat_id = service.settings.consultant_chat_id
    if chat_id is None:
        return None  # the engine shows the contacts (it was built with handoff=False)
    handoff = Handoff(service, application, chat_id)
    service.handoff_available = True
    service.reply_hooks.append(handoff.on_reply)
    service.reply_hooks_after_send.append(handoff.after_reply)
    application.bot_data[HANDOFF_KEY] = handoff
    if application.job_queue is not None:  # requests left pending by the last run
        application.job_queue.run_once(handoff.resume_pending, 1.0, name="handoff-resume")
    return handoff
