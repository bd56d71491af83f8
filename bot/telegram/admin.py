"""Admin commands in Telegram, only for BOT_ADMIN_IDS and only in a private chat:

- ``/reload``: re-read and validate the knowledge base, swap it in, report the new version and
  what changed; on problems keep the running base and list them (:mod:`bot.telegram.reload`);
- ``/stats``: usage statistics (:mod:`bot.stats`, shared with ``python -m bot stats``);
- ``/unanswered``: the latest unanswered questions with counts, then draft FAQ entries as YAML
  to paste into the base (:mod:`bot.faq_drafts`, shared with ``python -m bot
  unanswered``).

For anyone else (and in groups) these commands are not intercepted, so the engine gives its usual
reply to an unknown command: nobody learns that they exist.

Usage (``bot.telegram.features`` does this)::

    admin.install(service, application)
"""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, ContextTypes

from bot import faq_drafts, stats
from bot.telegram.delivery import deliver, typing
from bot.telegram.formatting import MAX_MESSAGE_CHARS
from bot.telegram.reload import Reloader
from bot.telegram.service import BotService
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

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                      text: str) -> bool:
        command = admin_command(text)
        user, chat = update.effective_user, update.effective_chat
        if command is None or user is None or chat is None:
            return False
        if chat.type != ChatType.PRIVATE or not self.service.settings.is_admin(user.id):
            return False  # the engine answers as to any unknown command
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
        return True

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
    service.text_interceptors.append(commands.on_text)
    return commands
