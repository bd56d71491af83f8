"""The one path of every update: load the session, let the engine answer, commit, then reply.

For each text, button press or other message of a user:

1. in ONE unit of work (``Database.turn``): load the user's session from SQLite (a new user
   gets the language of their Telegram client, stored) and, for the screens that read them, the
   user's records (checklist ticks); compute the reply with the engine; save the session,
   ``last_seen`` and the reply's events (unanswered questions and checklist ticks in their own
   tables); on ``user_forgotten`` (/forget confirmed) delete every row about the user instead;
2. only then send the reply, so a crash (even ``kill -9``) never loses a step the user saw.

The engine does all conversation work (commands, FAQ search, menus, stale buttons); this module
only translates between Telegram and :class:`dialogs.engine.ChatEngine`.

Usage (``bot.telegram.application`` does this)::

    service = BotService(engine, settings)
    service.register(application)            # handlers and the error handler
    await service.open()                     # in post_init: the database
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from telegram import CallbackQuery, Update, User
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.storage import Database, StorageError, Transaction
from bot.telegram.addressing import addressed_text, media_addressed
from bot.telegram.delivery import not_modified, plan, send, stored, typing
from bot.telegram.recent import RecentSessions
from dialogs import commands
from dialogs.engine import ChatEngine, EngineReply, Event, UserInput
from dialogs.i18n import normalise_language
from dialogs.records import PendingReminder
from dialogs.state import Session

logger = logging.getLogger(__name__)

Step = Callable[[Transaction, Session, int], Awaitable[EngineReply]]
# PTB handler group of the feature modules' own handlers (admin commands, share links): it runs
# before the engine's handlers (group 0); a feature handler that has answered the update raises
# ``ApplicationHandlerStop`` so the engine does not answer it too.
FEATURE_GROUP = -1
# Run inside the transaction after the engine answered (e.g. a share code for share_requested).
ReplyHook = Callable[[Transaction, Session, User, EngineReply], Awaitable[None]]
# Run after the commit, before the reply is sent, with the user id and the reply's events (e.g.
# reminder jobs for what was just stored); /forget runs them with one "user_forgotten" event.
CommitHook = Callable[[int, list[Event]], Awaitable[None]]
# The user's pending reminders, read inside the turn's transaction.
ReminderSource = Callable[[Transaction, int], Awaitable[list[PendingReminder]]]


class BotService:
    def __init__(self, engine: ChatEngine, settings: Settings) -> None:
        self.engine = engine
        self.kb = engine.kb
        self.settings = settings
        self.db: Database | None = None
        self.reply_hooks: list[ReplyHook] = []
        # A consultants' chat takes hand-offs (set by bot.telegram.handoff.install).
        self.handoff_available = False
        self.commit_hooks: list[CommitHook] = []
        # Run after the reply was sent (or could not be), e.g. the hand-off post.
        self.reply_hooks_after_send: list[CommitHook] = []
        # What each recently seen user's last update stored (see bot.telegram.recent).
        self.recent = RecentSessions()
        # The user's pending reminders for the engine's screens (set by bot.telegram.reminders).
        self.reminder_source: ReminderSource | None = None
        # Updates come through the inbox (bot.telegram.polling): a turn marks its own handled.
        self.inbox_enabled = False
        self._handled_by_turns: set[int] = set()
        # When a new deadline's reminders would go out (set by bot.telegram.reminders).
        self.reminder_times: Callable[[date], Sequence[datetime]] | None = None

    def replace_engine(self, engine: ChatEngine) -> None:
        """Swap in an engine over a reloaded knowledge base (/reload); updates already inside
        ``engine.handle`` finish on the old one, the next ones use the new one."""
        self.engine, self.kb = engine, engine.kb

    # ---- lifecycle ---------------------------------------------------------------------------

    async def open(self) -> None:
        if self.db is None:
            self.db = await Database.open(self.settings.db_path,
                                          synchronous=self.settings.db_synchronous)

    async def close(self) -> None:
        if self.db is not None:
            await self.db.close()
            self.db = None
            logger.info("database closed")

    def register(self, application: Application) -> None:
        message = filters.UpdateType.MESSAGE
        application.add_handler(CallbackQueryHandler(self.on_press))
        application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, self.on_edited))
        application.add_handler(MessageHandler(message & filters.TEXT, self.on_text))
        application.add_handler(
            MessageHandler(message & ~filters.TEXT & ~filters.StatusUpdate.ALL, self.on_media)
        )
        application.add_handler(
            ChatMemberHandler(self.on_membership, ChatMemberHandler.MY_CHAT_MEMBER)
        )
        application.add_error_handler(self.on_error)

    @property
    def database(self) -> Database:
        if self.db is None:
            raise RuntimeError("the database is not open (post_init has not run)")
        return self.db

    # ---- handlers ----------------------------------------------------------------------------

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        text = addressed_text(message, bot_id=context.bot.id, username=self.username(context))
        if text is None:
            return
        async with typing(context.bot, message.chat_id):
            await self._turn(update, context,
                             self._engine_step(UserInput(text=text, handoff=self._handoff(update)),
                                               user))

    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or update.effective_user is None:
            return
        await _answer(query)  # at once: the button stops spinning whatever happens next
        if update.effective_chat is None:
            return  # a button under an inline-mode message: no chat to answer in
        data = query.data or ""
        step = self._engine_step(UserInput(press=data, handoff=self._handoff(update)),
                                 update.effective_user)
        await self._turn(update, context, step, pressed=True)

    async def on_media(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or update.effective_user is None:
            return
        if not media_addressed(message, bot_id=context.bot.id):
            return
        kind = _media_kind(message)
        if message.contact is not None:  # the engine knows whether it asked for one
            user_input = UserInput(contact=message.contact.phone_number,
                                   handoff=self._handoff(update))
            await self._turn(update, context, self._engine_step(user_input, update.effective_user))
            return
        await self._turn(update, context, self._notice_step(kind, edited=False))

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.edited_message
        if message is None or update.effective_user is None:
            return
        if addressed_text(message, bot_id=context.bot.id, username=self.username(context)) is None:
            return
        await self._turn(update, context, self._notice_step("text", edited=True))

    async def on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A private user blocked (kicked) or unblocked the bot: keep ``users.blocked`` true."""
        change = update.my_chat_member
        if change is None or change.chat.type != "private":
            return
        blocked = change.new_chat_member.status == "kicked"
        async with self.database.transaction() as tx:
            await tx.users.set_blocked(change.from_user.id, blocked)
            await tx.events.add("blocked" if blocked else "unblocked",
                                user_id=change.from_user.id)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log with context (never the token) and apologise to the user in their language."""
        error = context.error
        user = update.effective_user if isinstance(update, Update) else None
        chat = update.effective_chat if isinstance(update, Update) else None
        if isinstance(error, Forbidden) and user is not None:
            await self.mark_blocked(user.id)
            return
        if isinstance(error, BadRequest) and not_modified(error):
            return
        update_id = update.update_id if isinstance(update, Update) else None
        logger.error(
            "update %s (user %s, chat %s) failed: %s: %s",
            update_id, user.id if user else None, chat.id if chat else None,
            type(error).__name__, error, exc_info=error,
        )
        if chat is None:
            return
        lang = await self.language_of(user)
        try:
            await context.bot.send_message(chat.id, commands.apology(lang))
        except Forbidden:
            if user is not None:
                await self.mark_blocked(user.id)
        except TelegramError:
            logger.warning("could not apologise in chat %s either", chat.id)

    # ---- the one path ----------------------------------------------------------------------

    async def turn(self, update: Update, context: ContextTypes.DEFAULT_TYPE, step: Step, *,
                   pressed: bool = False) -> None:
        """The one path for a feature module's own step (load, step, commit, then reply)."""
        await self._turn(update, context, step, pressed=pressed)

    async def _turn(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        step: Step,
        *,
        pressed: bool = False,
    ) -> None:
        user, chat = update.effective_user, update.effective_chat
        assert user is not None and chat is not None
        # A turn, not a transaction: this user's updates come in order (PerUserUpdateProcessor),
        # so other users' updates may load and compute while this one commits.
        outboxed = False
        try:
            async with self.database.turn() as tx:
                session, known = await self._load(tx, user)
                reply = await step(tx, session, user.id)
                planned = plan(reply.messages)
                if self.inbox_enabled:  # committed with what the turn changed (before /forget)
                    await tx.inbox.handled(update.update_id)
                forgotten = any(event.kind == "user_forgotten" for event in reply.events)
                if forgotten:  # nothing about the user is written, everything is deleted
                    await tx.forget_user(user.id)
                else:
                    saved = await self._save(tx, user.id, session, reply.events, known)
                    if self.inbox_enabled and planned:
                        # The reply, until sent: a kill after the commit must not lose it.
                        await tx.outbox.add(update.update_id, user.id, chat.id, stored(planned))
                        outboxed = True
        except BaseException:
            self.recent.drop(user.id)  # what is on disk is not known here: load it next time
            raise
        # Committed: from here on, whatever the user sees is on disk.
        if self.inbox_enabled:
            self._handled_by_turns.add(update.update_id)
        if forgotten:
            self.recent.drop(user.id)
            await self._purge_log()
        else:
            self.recent.put(user.id, session.lang, saved)
        for hook in self.commit_hooks:
            await hook(user.id, reply.events)
        # In a group the pressed message may be another member's screen: never edit it there.
        origin = update.callback_query.message if (
            pressed and update.callback_query and chat.type == "private") else None
        try:
            await send(context.bot, chat.id, planned, pressed=origin)
        except Forbidden:
            if not forgotten:  # a block is not recorded then: that would store the user again
                await self.mark_blocked(user.id)
        except asyncio.CancelledError:  # a second stop signal cut the send short: the outbox
            outboxed = False            # keeps the reply for the next start
            raise
        finally:
            if outboxed:
                await self._sent(update.update_id)
            for hook in self.reply_hooks_after_send:
                await hook(user.id, reply.events)

    async def _sent(self, update_id: int) -> None:
        """The turn's reply is out (or Telegram refused it): the outbox lets it go."""
        try:
            async with self.database.turn() as tx:  # committed with other users' turns
                await tx.outbox.sent(update_id)
        except StorageError as error:  # sent again after a restart: a repeat, not a loss
            logger.warning("could not clear the sent reply of update %s: %s", update_id, error)

    def handled_by_turn(self, update_id: int) -> bool:
        """Whether a turn committed this update as handled (asked once, after its handlers)."""
        if update_id in self._handled_by_turns:
            self._handled_by_turns.discard(update_id)
            return True
        return False

    async def _purge_log(self) -> None:
        """After /forget: no copy of the deleted rows stays in the write-ahead log (#17)."""
        try:
            if not await self.database.purge_wal():
                logger.info("WAL still in use by a reader; SQLite truncates it later")
        except StorageError as error:  # the rows are deleted; the user still gets the reply
            logger.warning("could not truncate the WAL after /forget: %s", error)

    async def _load(self, tx: Transaction, user: User) -> tuple[Session, str | None]:
        """The user's session (new users: their Telegram language) and their stored language."""
        recent = self.recent.get(user.id)
        if recent is not None:  # what the user's last update stored: no trip to the database
            return (Session.from_dict(json.loads(recent.state_json), default_lang=recent.language),
                    recent.language)
        stored_lang, saved = await tx.sessions.get_with_language(user.id)
        default = self.kb.meta.default_language
        lang = stored_lang or normalise_language(user.language_code, default)
        if saved is None:
            return self.engine.new_session(lang), stored_lang
        return Session.from_dict(saved.state, default_lang=lang), stored_lang

    async def _save(self, tx: Transaction, user_id: int, session: Session,
                    events: list[Event], stored_lang: str | None) -> str:
        """Queue the writes of the turn; returns the session's JSON text as stored."""
        changed_lang = session.lang if session.lang != stored_lang else None
        await tx.users.touch(user_id, language=changed_lang)
        stored = await tx.sessions.save(user_id, session.to_dict(), self.kb.version)
        for event in events:
            if event.kind == "checklist_ticked":
                data = event.data
                await tx.checklists.set_done(user_id, str(data["route"]), str(data["document"]),
                                             bool(data["done"]))
                await tx.events.add(event.kind, user_id=user_id, data=event.data)
            elif event.kind == "unanswered":
                data = event.data
                await tx.unanswered.add(
                    str(data.get("text", "")), str(data.get("lang", session.lang)),
                    kind=str(data.get("kind", "none")), best_score=data.get("best_score"),
                    user_id=user_id,
                )
            else:
                await tx.events.add(event.kind, user_id=user_id, data=event.data or None)
        return stored

    # ---- steps (run inside the transaction) ----------------------------------------------------

    def _handoff(self, update: Update) -> bool:
        chat = update.effective_chat
        return self.handoff_available and chat is not None and chat.type == "private"

    def _engine_step(self, user_input: UserInput, user: User) -> Step:
        async def step(tx: Transaction, session: Session, user_id: int) -> EngineReply:
            records = None
            if self.engine.wants_records(user_input):
                ticks = {}
                if session.last_route:
                    ticks[session.last_route] = await tx.checklists.get(user_id,
                                                                        session.last_route)
                pending = (await self.reminder_source(tx, user_id)
                           if self.reminder_source else [])
                since = datetime.now(UTC) - timedelta(days=1)
                recent = sum(h.created_at >= since for h in await tx.handoffs.for_user(user_id))
                records = StoredRecords(ticks, pending, recent, self.reminder_times)
            reply = self.engine.handle(session, user_input, records)
            for hook in self.reply_hooks:
                await hook(tx, session, user, reply)
            return reply

        return step

    def _notice_step(self, what: str, *, edited: bool) -> Step:
        async def step(tx: Transaction, session: Session, user_id: int) -> EngineReply:
            return self.engine.not_text(session, what, edited=edited)

        return step

    # ---- helpers -------------------------------------------------------------------------------

    async def mark_blocked(self, user_id: int) -> None:
        logger.info("user %s blocked the bot", user_id)
        async with self.database.transaction() as tx:
            await tx.users.set_blocked(user_id, True)
            await tx.events.add("blocked", user_id=user_id)

    async def language_of(self, user: User | None) -> str:
        default = self.kb.meta.default_language
        if user is None:
            return default
        try:
            async with self.database.read() as tx:
                record = await tx.users.get(user.id)
        except Exception:  # the database may be what failed; the apology must still go out
            record = None
        if record is not None and record.language:
            return record.language
        return normalise_language(user.language_code, default)

    def username(self, context: ContextTypes.DEFAULT_TYPE) -> str | None:
        try:
            return context.bot.username
        except RuntimeError:  # getMe has not answered yet
            return self.settings.username


class StoredRecords:
    """What is stored about the user, loaded for one turn (:class:`dialogs.records.UserRecords`)."""

    def __init__(self, ticks: dict[str, dict[str, bool]],
                 reminders: list[PendingReminder], handoffs: int = 0,
                 times: Callable[[date], Sequence[datetime]] | None = None) -> None:
        self._ticks = ticks
        self._reminders = reminders
        self._handoffs = handoffs
        self._times = times

    def ticks(self, route: str) -> dict[str, bool]:
        return dict(self._ticks.get(route, {}))

    def reminders(self) -> list[PendingReminder]:
        return list(self._reminders)

    def handoffs_today(self) -> int:
        return self._handoffs

    def reminder_times(self, due: date) -> Sequence[datetime]:
        return self._times(due) if self._times else ()


async def _answer(query: CallbackQuery) -> None:
    try:
        await query.answer()
    except TelegramError as error:  # too old after a restart, or already answered: harmless
        logger.info("could not answer callback query %s: %s", query.id, error)


def _media_kind(message: Any) -> str:
    for kind in ("photo", "sticker", "voice", "video", "video_note", "audio", "document",
                 "animation", "location", "venue", "contact", "poll", "dice"):
        if getattr(message, kind, None):
            return kind
    return "other"
