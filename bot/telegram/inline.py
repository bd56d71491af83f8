"""Inline mode: ``@bot question`` in any chat lists the best FAQ answers, ready to send.

The language is the user's stored one (what they chose in the bot), else their Telegram client's.
The engine chooses the answers and writes them (:mod:`dialogs.inline`: the best FAQ answers, or
the topics for an empty query); here each becomes an article whose message is escaped HTML, cut
below Telegram's 4,096 characters with the engine's pointer to the bot when longer.

Nothing here raises on odd input: an empty, huge or garbage query gets a short (possibly empty)
list; a failure to answer (the query is too old) is logged.

Usage (``bot.telegram.features`` does this)::

    inline.install(service, application)
"""

from __future__ import annotations

import logging
from html import escape

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, InlineQueryHandler

from bot.telegram.formatting import render_html
from bot.telegram.service import BotService
from dialogs.engine import ChatEngine
from dialogs.inline import InlineAnswer

logger = logging.getLogger(__name__)

CACHE_SECONDS = 10  # answers change with a /reload; keep Telegram's cache short


def article(answer: InlineAnswer, bot_username: str | None = None) -> InlineQueryResultArticle:
    """One of the engine's inline answers as a Telegram result: escaped HTML, cut below 4,096
    characters with the engine's pointer to the bot when longer."""
    chunks = render_html(answer.blocks)
    text = chunks[0]
    if len(chunks) > 1:  # too long for one message: the rest is in the bot
        text += f"\n\n<i>{escape(answer.more)}</i>" + (f" @{bot_username}" if bot_username else "")
    markup = None
    if bot_username:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(
            answer.ask, url=f"https://t.me/{bot_username}")]])
    return InlineQueryResultArticle(
        id=answer.id, title=answer.title, description=answer.description,
        input_message_content=InputTextMessageContent(text, parse_mode=ParseMode.HTML),
        reply_markup=markup,
    )


def search_articles(engine: ChatEngine, query: str, lang: str,
                    bot_username: str | None = None) -> list[InlineQueryResultArticle]:
    """The engine's inline answers to ``query`` as Telegram results (the topics when empty)."""
    return [article(answer, bot_username) for answer in engine.inline_answers(query, lang)]


def topic_articles(engine: ChatEngine, lang: str,
                   bot_username: str | None = None) -> list[InlineQueryResultArticle]:
    """One result per FAQ topic."""
    return search_articles(engine, "", lang, bot_username)


class InlineAnswers:
    def __init__(self, service: BotService) -> None:
        self.service = service

    async def on_inline_query(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.inline_query
        if query is None:
            return
        try:
            lang = await self.service.language_of(query.from_user)
            username = self.service.username(context)
            articles = search_articles(self.service.engine, query.query or "", lang, username)
        except Exception:  # an odd query must never leave the user without an answer
            logger.exception("inline query failed")
            articles = []
        try:
            await query.answer(articles, cache_time=CACHE_SECONDS, is_personal=True)
        except TelegramError as error:  # too old, or the user typed on: harmless
            logger.info("could not answer inline query %s: %s", query.id, error)


def install(service: BotService, application: Application) -> InlineAnswers:
    answers = InlineAnswers(service)
    application.add_handler(InlineQueryHandler(answers.on_inline_query))
    return answers
