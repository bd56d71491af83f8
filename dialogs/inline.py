"""Answers for inline mode (``@bot question`` in any chat): the best FAQ answers, ready to send.

A query is searched like a chat message (typos, transliteration, other layouts); each match is
one answer whose message is the full FAQ answer (question, answer, sources, review date). An
empty query lists the main topics: one answer per FAQ topic (title from ``meta.topics`` if set,
else the topic's first question), sending the topic's first answer. An empty, huge or garbage
query gets a short, possibly empty, list, never an error.

The adapter turns each :class:`InlineAnswer` into its own kind of result and, when the message is
too long for one, cuts it and adds ``more``.

Usage::

    for answer in inline_answers(kb, search, "how long is a permit valid", "en"):
        answer.title, answer.blocks, answer.more, answer.ask
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.i18n import translator
from dialogs.render import faq_message, short
from dialogs.reply import Block
from dialogs.search import FaqSearch
from knowledge.model import KnowledgeBase
from knowledge.schema import FaqEntry

MAX_RESULTS = 5
MAX_QUERY = 256  # Telegram's own limit for inline queries
MAX_TOPICS = 50  # Telegram accepts at most 50 results
TITLE_LIMIT = 100
DESCRIPTION_LIMIT = 120


@dataclass(frozen=True)
class InlineAnswer:
    id: str  # the FAQ entry's id
    title: str
    description: str | None  # the answer's first line
    blocks: list[Block]  # the message sent when the answer is chosen
    more: str  # added when the message had to be cut: the rest is in the bot
    ask: str  # the label of a button that opens the bot


def answer_of(kb: KnowledgeBase, entry: FaqEntry, lang: str, title: str | None = None
              ) -> InlineAnswer:
    _ = translator(lang).gettext
    questions = entry.questions.get(lang) or [entry.id]
    lines = [line for line in kb.text(entry.answer, lang).splitlines() if line.strip()]
    return InlineAnswer(
        id=entry.id[:64], title=short(title or questions[0], TITLE_LIMIT),
        description=short(lines[0], DESCRIPTION_LIMIT) if lines else None,
        blocks=faq_message(kb, entry, lang),
        more=_("The full answer is in the bot."), ask=_("Ask the bot"),
    )


def inline_answers(kb: KnowledgeBase, search: FaqSearch, query: str, lang: str
                   ) -> list[InlineAnswer]:
    """The best FAQ answers to `query` (up to ``MAX_RESULTS``), or the topics when empty."""
    query = " ".join(query.split())[:MAX_QUERY]
    if not query:
        return topic_answers(kb, lang)
    result = search.search(query, lang, limit=MAX_RESULTS)
    if result.kind not in ("answer", "suggest"):
        return []
    entries = (kb.faq_by_id.get(match.id) for match in result.matches[:MAX_RESULTS])
    return [answer_of(kb, entry, lang) for entry in entries if entry is not None]


def topic_answers(kb: KnowledgeBase, lang: str) -> list[InlineAnswer]:
    """One answer per FAQ topic, in the order of the knowledge base."""
    topics = kb.meta.topics or {}
    first: dict[str, FaqEntry] = {}
    for entry in kb.faq:
        first.setdefault(entry.topic, entry)
    return [answer_of(kb, entry, lang, kb.text(topics[topic], lang) if topic in topics else None)
            for topic, entry in list(first.items())[:MAX_TOPICS]]
