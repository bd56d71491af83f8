"""Hand-off to a human consultant, when BOT_CONSULTANT_CHAT_ID is set.

"Talk to a consultant" (the engine's ``contact`` button) is answered here instead of by the
engine (which shows the firm's contacts from the knowledge base, as it still does when no chat
is configured, in groups, and when the user declines):

1. consent: what will be passed on, with "Yes" / "No, just show the contacts" (``ho:yes`` /
   ``ho:no``);
2. a contact: Telegram's share-contact button (reply keyboard) or a typed phone or e-mail
   (:mod:`bot.telegram.handoff_contact`). A text that looks like a failed attempt gets a hint;
   any other text (a question, a command) or "Cancel" ends the hand-off and, except "Cancel",
   goes on to the engine as usual;
3. in one transaction the request is stored in ``handoffs`` (the card, in the consultants'
   language) with the event ``handoff_requested``; after the commit the card is posted to the
   consultants' chat and the user gets a confirmation.

Where the user is in this (consent asked, contact asked) is stored as events (``handoff_offered``,
``handoff_consented``, ``handoff_requested``, ``handoff_cancelled``): the newest of them tells,
for ``STAGE_TTL``. So it survives a restart, /forget removes it, and the statistics see it.

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
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import (
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
    User,
)
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.storage import Transaction
from bot.storage.handoffs import PENDING
from bot.telegram.handoff_card import card_html
from bot.telegram.handoff_contact import Contact, looks_like_contact, parse_contact, shared_phone
from bot.telegram.service import BotService
from dialogs.buttons import encode
from dialogs.engine import EngineReply, Event
from dialogs.i18n import LANGUAGES, translator
from dialogs.reply import Block, Button
from dialogs.state import Session

logger = logging.getLogger(__name__)

CONTACT_PRESS = encode("contact")
CONSENT_YES = "ho:yes"
CONSENT_NO = "ho:no"
OFFERED, CONSENTED = "handoff_offered", "handoff_consented"
REQUESTED, CANCELLED = "handoff_requested", "handoff_cancelled"
STAGES = (OFFERED, CONSENTED, REQUESTED, CANCELLED)
STAGE_TTL = timedelta(minutes=30)  # a contact typed later is not taken for a hand-off
RECENT_EVENTS = 30  # the stage is looked for among the user's newest events
# Seconds before each retry of a failed delivery; the attempts are 1 + len(RETRY_DELAYS).
RETRY_DELAYS: tuple[float, ...] = (2.0, 15.0, 60.0, 300.0, 1800.0)
HANDOFF_KEY = "handoff"  # application.bot_data[HANDOFF_KEY] is the Handoff (when installed)


def cancel_label(lang: str) -> str:
    return translator(lang).gettext("Cancel")


class Handoff:
    def __init__(self, service: BotService, application: Application, chat_id: int,
                 delays: Sequence[float] = RETRY_DELAYS) -> None:
        self.service = service
        self.application = application
        self.chat_id = chat_id
        self.delays = tuple(delays)

    # ---- the conversation ---------------------------------------------------------------

    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                       data: str) -> bool:
        if data not in (CONTACT_PRESS, CONSENT_YES, CONSENT_NO) or not _private(update):
            return False
        if data == CONTACT_PRESS:
            await self.service.turn(update, context, self._offer_step)
        elif data == CONSENT_NO:
            await self.service.turn(update, context, self._decline_step)
        else:
            lang = await self._consent(update, context)
            _ = translator(lang).gettext
            await self._send(update, context, _("Send your phone number with the button "
                                                "below, or type a phone number with the "
                                                "country code (for example +7 701 123 45 67) "
                                                "or an e-mail address."),
                             _contact_keyboard(lang))
        return True

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                      text: str) -> bool:
        user = update.effective_user
        if user is None or not _private(update) or not await self._awaiting_contact(user.id):
            return False
        if text.strip() in {cancel_label(lang) for lang in LANGUAGES}:
            await self._cancel(update, context)
            return True
        contact = parse_contact(text)
        if contact is not None:
            await self._submit(update, context, contact)
            return True
        lang = await self.service.language_of(user)
        if looks_like_contact(text):
            _ = translator(lang).gettext
            await self._send(update, context, _(
                "That does not look like a phone number or an e-mail address. Type the phone "
                "number with the country code (for example +7 701 123 45 67), or an e-mail "
                "such as name@example.com."), _contact_keyboard(lang))
            return True
        await self._cancel(update, context)  # the user moved on: the text goes to the engine
        return False

    async def on_media(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                       kind: str) -> bool:
        message, user = update.effective_message, update.effective_user
        if kind != "contact" or message is None or message.contact is None or user is None:
            return False
        if not _private(update) or not await self._awaiting_contact(user.id):
            return False
        await self._submit(update, context, Contact("phone",
                                                    shared_phone(message.contact.phone_number)))
        return True

    async def _offer_step(self, tx: Transaction, session: Session, user_id: int) -> EngineReply:
        _ = translator(session.lang).gettext
        reply = EngineReply()
        reply.add(
            [Block("title", _("Talk to a consultant")),
             Block("text", _("I can pass your case to a consultant of the firm: your language, "
                             "route, answers, checklist progress and your recent questions to "
                             "the bot, with the phone number or e-mail you give me. A "
                             "consultant will contact you. Do you agree?"))],
            [[Button(CONSENT_YES, _("✅ Yes, pass it on"))],
             [Button(CONSENT_NO, _("No, just show the contacts"))]],
        )
        reply.events.append(Event(OFFERED, {}))
        return reply

    async def _decline_step(self, tx: Transaction, session: Session,
                            user_id: int) -> EngineReply:
        reply = self.service.engine.contacts(session)
        reply.events.append(Event(CANCELLED, {"why": "declined"}))
        return reply

    async def _record(self, update: Update, context: ContextTypes.DEFAULT_TYPE, event: Event,
                      *, pressed: bool = False) -> str:
        """Store one hand-off event in a turn with no reply of its own; return the language."""
        lang = self.service.kb.meta.default_language

        async def step(tx: Transaction, session: Session, user_id: int) -> EngineReply:
            nonlocal lang
            lang = session.lang
            reply = EngineReply()
            reply.events.append(event)
            return reply

        await self.service.turn(update, context, step, pressed=pressed)
        return lang

    async def _consent(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
        """Record the consent; return the user's language."""
        return await self._record(update, context, Event(CONSENTED, {}), pressed=True)

    async def _cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        lang = await self._record(update, context, Event(CANCELLED, {"why": "cancelled"}))
        _ = translator(lang).gettext
        await self._send(update, context, _("OK, nothing was sent to a consultant."),
                         ReplyKeyboardRemove())

    async def _submit(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                      contact: Contact) -> None:
        user = update.effective_user
        assert user is not None
        handoff_id = 0
        lang = self.service.kb.meta.default_language

        async def step(tx: Transaction, session: Session, user_id: int) -> EngineReply:
            nonlocal handoff_id, lang
            lang = session.lang
            ticks = await tx.checklists.get(user_id, session.last_route or "")
            card = card_html(self.service.engine, session, user, contact, ticks)
            handoff_id = await tx.handoffs.add(user_id, {"card": card, "lang": session.lang})
            reply = EngineReply()
            reply.events.append(Event(REQUESTED, {"handoff": handoff_id,
                                                  "contact": contact.kind}))
            return reply

        await self.service.turn(update, context, step)
        # Stored: from here on the request cannot be lost, whatever delivery does.
        await self.deliver(handoff_id)
        _ = translator(lang).gettext
        await self._send(update, context, _(
            "Thank you! I have passed your request to a consultant; they will contact you at "
            "{contact}. Send /menu to continue.").format(contact=contact.value),
            ReplyKeyboardRemove())

    async def _awaiting_contact(self, user_id: int) -> bool:
        async with self.service.database.read() as r:
            events = await r.events.list(user_id=user_id, limit=RECENT_EVENTS)
        stage = next((e for e in events if e.kind in STAGES), None)
        return (stage is not None and stage.kind == CONSENTED
                and datetime.now(UTC) - stage.at < STAGE_TTL)

    async def _send(self, update: Update, context: ContextTypes.DEFAULT_TYPE, text: str,
                    markup: ReplyKeyboardMarkup | ReplyKeyboardRemove) -> None:
        chat = update.effective_chat
        assert chat is not None
        try:
            await context.bot.send_message(chat.id, _escape(text), reply_markup=markup)
        except Forbidden:
            if update.effective_user is not None:
                await self.service.mark_blocked(update.effective_user.id)

    # ---- delivery to the consultants ----------------------------------------------------

    async def deliver(self, handoff_id: int) -> bool:
        """Post the stored card to the consultants' chat; on failure record it and retry later
        (or, after the last attempt, hand it to the admins). True when delivered."""
        db = self.service.database
        async with db.read() as r:
            record = await r.handoffs.get(handoff_id)
        if record is None or record.status != PENDING:
            return True  # delivered meanwhile, or deleted by /forget
        chunks = _card_of(record.payload)
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
            _ = translator(await self.service.language_of(_user(admin_id))).gettext
            note = _("⚠️ A request for a consultant (no. {id}) could not be posted to the "
                     "consultants' chat after {attempts} attempts. Last error: {error}. Please "
                     "pass it on; here it is:").format(
                         id=handoff_id, attempts=attempts, error=reason)
            try:
                await self.application.bot.send_message(admin_id, _escape(note))
                for chunk in chunks:
                    await self.application.bot.send_message(admin_id, chunk)
            except TelegramError as error:
                logger.error("could not report hand-off %s to admin %s: %s",
                             handoff_id, admin_id, error)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == "private"


def _user(user_id: int) -> User:
    return User(user_id, "admin", is_bot=False)


def _card_of(payload: Any) -> list[str]:
    card = payload.get("card") if isinstance(payload, dict) else None
    if isinstance(card, list) and all(isinstance(chunk, str) for chunk in card) and card:
        return card
    return [_escape(str(payload))]  # an odd row is still delivered, as text


def _contact_keyboard(lang: str) -> ReplyKeyboardMarkup:
    share = translator(lang).gettext("📱 Share my phone number")
    return ReplyKeyboardMarkup(
        [[KeyboardButton(share, request_contact=True)], [KeyboardButton(cancel_label(lang))]],
        resize_keyboard=True, one_time_keyboard=True,
    )


def install(service: BotService, application: Application) -> Handoff | None:
    chat_id = service.settings.consultant_chat_id
    if chat_id is None:
        return None  # the engine's "contacts" reply stays
    handoff = Handoff(service, application, chat_id)
    service.press_interceptors.append(handoff.on_press)
    service.text_interceptors.append(handoff.on_text)
    service.media_interceptors.append(handoff.on_media)
    application.bot_data[HANDOFF_KEY] = handoff
    if application.job_queue is not None:  # requests left pending by the last run
        application.job_queue.run_once(handoff.resume_pending, 1.0, name="handoff-resume")
    return handoff
