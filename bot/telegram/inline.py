"""Inline mode: ``@bot question`` in any chat lists the best FAQ answers, ready to send.

The language is the user's stored one (what they chose in the bot), else their Telegram client's.
A query is searched with the engine's FAQ search (typos, transliteration, other layouts: as in
the chat); each match becomes an article whose message is the full answer (question, answer,
sources, review date) as escaped HTML, cut below Telegram's 4,096 characters with a pointer to the
bot when longer. An empty query lists the main topics: one article per FAQ topic (title from
``meta.topics`` if set, else the topic's first question), sending the topic's first answer.

Nothing here raises on odd input: an empty, huge or garbage query gets a short (possibly empty)
list; a failure to answer (the query is too old) is logged.

Usage (``bot.telegram.features`` does this)::

    inline.install(service, application)
"""

from __future__ import annotations

import logging

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
from dialogs.i18n import translator
from dialogs.render import faq_message, short
from knowledge.schema import FaqEntry

logger = logging.getLogger(__name__)

MAX_RESULTS = 5
MAX_QUERY = 256  # Telegram's own limit for inline queries
CACHE_SECONDS = 10  # answers change with a /reload; keep Telegram's cache short
MAX_TOPICS = 50  # Telegram accepts at most 50 results


def faq_article(engine: ChatEngine, entry: FaqEntry, lang: str, *, title: str | None = None,
                bot_username: str | None = None) -> InlineQueryResultArticle:
    """One FAQ answer as an inline result: the title is its question, the message the answer."""
    kb = engine.kb
    _ = translator(lang).gettext
    questions = entry.questions.get(lang) or [entry.id]
    chunks = render_html(faq_message(kb, entry, lang))
    text = chunks[0]
    if len(chunks) > 1:  # too long for one message: the rest is in the bot
        more = _("The full answer is in the bot.")
        text += f"\n\n<i>{more}</i>" + (f" @{bot_username}" if bot_username else "")
    answer_lines = [line for line in kb.text(entry.answer, lang).splitlines() if line.strip()]
    markup = None
    if bot_username:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(
            _("Ask the bot"), url=f"https://t.me/{bot_username}")]])
    return InlineQueryResultArticle(
        id=f"{entry.id}"[:64],
        title=short(title or questions[0], 100),
        description=short(answer_lines[0], 120) if answer_lines else None,
        input_message_content=InputTextMessageContent(text, parse_mode=ParseMode.HTML),
        reply_markup=markup,
    )


def search_articles(engine: ChatEngine, query: str, lang: str,
                    bot_username: str | None = None) -> list[InlineQueryResultArticle]:
    """The best FAQ answers to ``query`` (up to ``MAX_RESULTS``), or the topics when empty."""
    query = " ".join(query.split())[:MAX_QUERY]
    if not query:
        return topic_articles(engine, lang, bot_username)
    result = engine.search.search(query, lang, limit=MAX_RESULTS)
    if result.kind not in ("answer", "suggest"):
        return []
    articles = []
    for match in result.matches[:MAX_RESULTS]:
        entry = engine.kb.faq_by_id.get(match.id)
        if entry is not None:
            articles.append(faq_article(engine, entry, lang, bot_username=bot_username))
    return articles


def topic_articles(engine: ChatEngine, lang: str,
                   bot_username: str | None = None) -> list[InlineQueryResultArticle]:
    """One article per FAQ topic, in the order of the knowledge base."""
    topics = engine.kb.meta.topics or {}
    first: dict[str, FaqEntry] = {}
    for entry in engine.kb.faq:
        first.setdefault(entry.topic, entry)
    articles = []
    for topic, entry in list(first.items())[:MAX_TOPICS]:
        title = engine.kb.text(topics[topic], lang) if topic in topics else None
        articles.append(faq_article(engine, entry, lang, title=title, bot_username=bot_username))
    return articles


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
