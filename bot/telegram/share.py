"""Shared results: a link that opens the same result for whoever taps it.

When the engine answers "📤 Share the result" it sends a self-contained summary and the event
``share_requested`` {flow, answers, lang}. Here, in the same transaction, that event becomes an
opaque share code (``share_codes``: random, expires after BOT_SHARE_TTL_DAYS, payload {flow,
answers, lang, kb_version}: interview answers only, no personal data), and one more message with
``https://t.me/<bot>?start=s_<code>`` goes out after the summary.

``/start s_<code>`` is answered here, by a ``CommandHandler`` in the features' handler group
(``FEATURE_GROUP``, before the engine's): a valid code opens the interview with
those answers (the outcome, when they are complete) through ``engine.open_answers``. Language:
the shared one, unless the person who taps the link has chosen a language in the bot
(``session.lang_chosen``); then theirs is kept. An unknown or expired code gets the engine's
usual start with its note "This link is not valid or has expired".

Usage (``bot.telegram.application`` does this)::

    share.install(service, application)
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from telegram import Bot, Update, User
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot.storage import Transaction
from bot.telegram.service import FEATURE_GROUP, BotService
from dialogs.engine import EngineReply, Event
from dialogs.state import Session

logger = logging.getLogger(__name__)

PREFIX = "s_"
# What the engine accepts as a start payload (at most 64 of A-Za-z0-9_-), with our prefix.
SHARE_PAYLOAD = re.compile(r"^s_[A-Za-z0-9_-]{1,62}$")
# The whole message: "/start s_<code>" (or "/start@bot s_<code>"), for the handler's filter.
START_SHARE = re.compile(r"^/start(?:@\w+)?\s+s_[A-Za-z0-9_-]{1,62}\s*$", re.IGNORECASE)


def start_payload(text: str) -> str | None:
    """The share payload of ``/start s_<code>`` (``/start@bot`` too), else None."""
    command, _sep, argument = text.strip().partition(" ")
    if command.split("@", 1)[0].lower() != "/start":
        return None
    argument = argument.strip()
    return argument if SHARE_PAYLOAD.match(argument) else None


def share_link(username: str | None, code: str) -> str | None:
    return f"https://t.me/{username}?start={PREFIX}{code}" if username else None


MAX_LIVE_SHARES = 100
"""Share links one person may have working at once (a consultant sharing many clients' results);
pressing "Share" again on the same result gives the same link, not a new one (#17)."""


class ShareLinks:
    """The reply hook that makes share codes and the ``/start s_<code>`` handler."""

    def __init__(self, service: BotService, bot: Bot) -> None:
        self.service = service
        self.bot = bot
        self.ttl = timedelta(days=service.settings.share_ttl_days)

    def username(self) -> str | None:
        try:
            return self.bot.username
        except RuntimeError:  # getMe has not answered yet
            return self.service.settings.username

    async def on_reply(self, tx: Transaction, session: Session, user: User,
                       reply: EngineReply) -> None:
        user_id = user.id
        for event in [e for e in reply.events if e.kind == "share_requested"]:
            data = event.data
            payload = {"flow": data.get("flow"), "answers": dict(data.get("answers") or {}),
                       "lang": data.get("lang"), "kb_version": self.service.kb.version}
            live = await tx.share_codes.live_for(user_id)
            share = next((s for s in live if s.payload == payload), None)  # the same result
            if share is None and len(live) >= MAX_LIVE_SHARES:
                self.service.engine.share_refused(session, reply, len(live))
                reply.events.append(Event("share_refused", {"live": len(live)}))
                continue
            if share is None:
                share = await tx.share_codes.create(payload, ttl=self.ttl, user_id=user_id)
            link = share_link(self.username(), share.code)
            if link is None:
                logger.warning("no bot username (getMe, BOT_USERNAME): share link not sent")
                continue
            self.service.engine.share_link(session, reply, link, share.expires_at.date())
            reply.events.append(Event("share_created", {"flow": payload["flow"]}))

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/start s_<code>``: open the shared result, and no further handler runs."""
        message = update.effective_message
        payload = start_payload(message.text or "") if message is not None else None
        if payload is None:
            return
        code = payload[len(PREFIX):]
        engine = self.service.engine

        async def step(tx: Transaction, session: Session, user_id: int) -> EngineReply:
            share = await tx.share_codes.get(code)
            data = share.payload if share is not None else None
            if not isinstance(data, dict) or data.get("flow") not in engine.walkers:
                return engine.invalid_link(session)
            lang = None if session.lang_chosen else data.get("lang")
            answers = {str(k): str(v) for k, v in dict(data.get("answers") or {}).items()}
            reply = engine.open_answers(session, str(data["flow"]), answers, lang,
                                        kb_version=str(data.get("kb_version")))
            reply.events.append(Event("share_opened", {"flow": data["flow"]}))
            return reply

        await self.service.turn(update, context, step)
        raise ApplicationHandlerStop


PURGE_EVERY = 24 * 60 * 60  # seconds: expired share codes are deleted once a day


async def purge_expired(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete share codes past their expiry (they are refused anyway; this keeps nothing longer
    than it is useful)."""
    service: BotService = context.job.data  # type: ignore[union-attr]
    try:
        async with service.database.transaction() as tx:
            removed = await tx.share_codes.purge_expired()
    except Exception:  # storage trouble: try again tomorrow; the codes are refused meanwhile
        logger.exception("could not purge expired share codes")
        return
    if removed:
        logger.info("purged %d expired share codes", removed)


def install(service: BotService, application: Application) -> ShareLinks:
    links = ShareLinks(service, application.bot)
    service.reply_hooks.append(links.on_reply)
    application.add_handler(CommandHandler(
        "start", links.on_start, has_args=True,
        filters=filters.UpdateType.MESSAGE & filters.Regex(START_SHARE)), group=FEATURE_GROUP)
    if application.job_queue is not None:
        application.job_queue.run_repeating(purge_expired, interval=PURGE_EVERY, first=60,
                                            data=service, name="purge-share-codes")
    return links
