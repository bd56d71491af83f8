"""Unanswered questions for admins: the latest ones with counts, and a YAML skeleton of FAQ
entries ready to paste into ``knowledge/base/faq/*.yaml`` (``/unanswered`` in Telegram and
``python -m bot unanswered [--export FILE]``). No Telegram import.

Each distinct question (letter case ignored) becomes one draft entry: an id placeholder
(``new_1``...), the topic of the closest existing entry (or ``TODO``), the question under the
language it is written in (detected by the FAQ search; the user's language when unclear), empty
questions for the other languages, an empty answer in ru, kk and en, empty sources and today's
review date. The validator refuses the drafts until they are filled in, which is the point.

Usage::

    rows = await latest(db, limit=20)
    print(plain_text(dialogs.admin.unanswered_blocks(rows, "en")))
    print(skeleton_yaml(rows, engine.search, today))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import yaml
from rapidfuzz import fuzz

from bot.storage import Database, UnansweredSummary
from dialogs.i18n import LANGUAGES
from dialogs.search import FaqSearch
from dialogs.search.text import plain_form
from knowledge import KnowledgeBase

DEFAULT_LIMIT = 20
GROUP_LOOKAHEAD = 5  # distinct wordings read per row shown, so groups can form
SAME_QUESTION = 90.0
TOPIC_PLACEHOLDER = "TODO"


class _Dumper(yaml.SafeDumper):
    """YAML as the knowledge base writes it: list items indented under their key, no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


async def latest(db: Database, limit: int = DEFAULT_LIMIT) -> list[UnansweredSummary]:
    """Distinct unanswered questions, near-identical ones as one (see :func:`grouped`), most
    asked first, then most recent."""
    async with db.read() as r:
        rows = await r.unanswered.summary(limit=limit * GROUP_LOOKAHEAD)
    return grouped(rows)[:limit]


def grouped(rows: list[UnansweredSummary]) -> list[UnansweredSummary]:
    """Near-identical questions in one language ("скока стоит разрешение?", "сколько стоит
    разрешение") as one row: the most asked wording, the counts added up. Near-identical: the
    spelling skeletons (``plain_form``) at least ``SAME_QUESTION`` alike (rapidfuzz ratio)."""
    groups: list[tuple[str, list[UnansweredSummary]]] = []
    for row in sorted(rows, key=lambda r: (-r.count, -r.last_at.timestamp())):
        form = plain_form(row.text)
        for head, members in groups:
            if members[0].lang == row.lang and fuzz.ratio(form, head) >= SAME_QUESTION:
                members.append(row)
                break
        else:
            groups.append((form, [row]))
    merged = [
        replace(members[0], count=sum(m.count for m in members),
                last_at=max(m.last_at for m in members),
                best_score=max((m.best_score for m in members if m.best_score is not None),
                               default=None))
        for _, members in groups
    ]
    return sorted(merged, key=lambda r: (-r.count, -r.last_at.timestamp()))


def draft_entries(rows: list[UnansweredSummary], search: FaqSearch, kb: KnowledgeBase,
                  today: dt.date) -> list[dict[str, Any]]:
    entries = []
    for number, row in enumerate(rows, start=1):
        result = search.search(row.text, row.lang)
        question_lang = result.query_lang if result.query_lang in LANGUAGES else row.lang
        closest = kb.faq_by_id.get(result.matches[0].id) if result.matches else None
        entries.append({
            "id": f"new_{number}",
            "topic": closest.topic if closest is not None else TOPIC_PLACEHOLDER,
            "questions": {lang: [row.text] if lang == question_lang else []
                          for lang in LANGUAGES},
            "answer": {lang: "" for lang in LANGUAGES},
            "sources": [],
            "reviewed": today,
        })
    return entries


def skeleton_yaml(rows: list[UnansweredSummary], search: FaqSearch, kb: KnowledgeBase,
                  today: dt.date) -> str:
    """The drafts as YAML text: a ``faq:`` list in the format of knowledge/base/faq/*.yaml."""
    header = (f"# {len(rows)} draft FAQ entries from unanswered questions ({today.isoformat()}).\n"
              "# Give each a real id, check the topic, write the answers (ru, kk, en) and the\n"
              "# sources, then run: python -m bot validate\n")
    if not rows:
        return header + "faq: []\n"
    body = yaml.dump({"faq": draft_entries(rows, search, kb, today)}, Dumper=_Dumper,
                     allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    return header + body
