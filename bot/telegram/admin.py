"""Admin commands in Telegram, only for BOT_ADMIN_IDS and only in a private chat:

- ``/reload``: re-read and validate the knowledge base, swap it in, report the new version and
  what changed; on problems keep the running base and list them (:mod:`bot.telegram.reload`);
- ``/stats``: usage statistics (:mod:`bot.stats`, shared with ``python -m bot stats``);
- ``/unanswered``: the latest unanswered questions with counts, then draft FAQ entries as YAML
  to paste into the base (:mod:`bot.faq_drafts`, shared with ``python -m bot
  unanswered``).

They are PTB ``CommandHandler``s in the features' handler group (``FEATURE_GROUP``), which runs
before the engine's: for an admin the command is answered here and stops there; for anyone else
(and in groups) it goes on to the engine, which replies as to any unknown command, so nobody
learns that they exist.

Usage (``bot.telegram.features`` does this)::

    admin.install(service, application)
"""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot import faq_drafts, stats
from bot.telegram.delivery import deliver, typing
from bot.telegram.formatting import MAX_MESSAGE_CHARS
from bot.telegram.reload import Reloader
from bot.telegram.service import FEATURE_GROUP, BotService
from dialogs.admin import reload_messages, stats_blocks, unanswered_blocks
from dialogs.deadlines import today_kz
from dialogs.reply import Message

logger = logging.getLogger(__name__)

COMMANDS = ("reload", "stats", "unanswered")


def admin_command(text: str) -> str | None:
    """``reload`` for "/reload" or "/reload@bot", else None."""
    if not text.startswith("/"):
        return None
    command = text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(text) > 1 else ""
    return command if command in COMMANDS else None


class AdminCommands:
    def __init__(self, service: BotService) -> None:
        self.service = service
        self.reloader = Reloader(service)

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/reload``, ``/stats`` or ``/unanswered`` in a private chat: answered here for an
        admin (and no further handler runs); for anyone else the engine answers as to any
        unknown command."""
        message, user, chat = update.effective_message, update.effective_user, update.effective_chat
        command = admin_command(message.text or "") if message is not None else None
        if command is None or user is None or chat is None:
            return
        if not self.service.settings.is_admin(user.id):
            return
        lang = await self.service.language_of(user)
        logger.info("admin %s: /%s", user.id, command)
        async with typing(context.bot, chat.id, delay=0.0):
            if command == "reload":
                outcome = await self.reloader.reload()
                messages = reload_messages(outcome, lang)
                await deliver(context.bot, chat.id, messages)
                if outcome.new_version is not None:
                    async with self.service.database.transaction() as tx:
                        await tx.events.add("kb_reloaded", user_id=user.id, data={
                            "from": outcome.old_version, "to": outcome.new_version})
            elif command == "stats":
                figures = await stats.collect(self.service.database)
                blocks = stats_blocks(figures, self.service.kb, lang)
                await deliver(context.bot, chat.id, [Message(tuple(blocks))])
            else:
                await self._unanswered(update, context, lang)
        raise ApplicationHandlerStop

    async def _unanswered(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                          lang: str) -> None:
        chat = update.effective_chat
        assert chat is not None
        rows = await faq_drafts.latest(self.service.database)
        await deliver(context.bot, chat.id, [Message(tuple(unanswered_blocks(rows, lang)))])
        if not rows:
            return
        engine = self.service.engine
        text = faq_drafts.skeleton_yaml(rows, engine.search, engine.kb, today_kz())
        for chunk in preformatted(text):
            await context.bot.send_message(chat.id, chunk)


def preformatted(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """``text`` as ``<pre>`` messages (indentation kept, for YAML), cut between lines."""
    chunks: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        escaped = html.escape(line, quote=False)
        if current and len(current) + len(escaped) + 11 > limit:
            chunks.append(current)
            current = ""
        current += escaped[: limit - 11]
    if current:
        chunks.append(current)
    return [f"<pre>{chunk.rstrip()}</pre>" for chunk in chunks]


def install(service: BotService, application: Application) -> AdminCommands:
    commands = AdminCommands(service)
    application.add_handler(CommandHandler(
        COMMANDS, commands.on_command,
        filters=filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE), group=FEATURE_GROUP)
    return commands
