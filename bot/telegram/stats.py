"""Usage statistics for admins, computed from the bot's database: one module, two front ends
(``/stats`` in Telegram and ``python -m bot stats``). No Telegram import: it reads storage only.

What it counts:

- users: total, blocked the bot, by language (the stored one), active (last seen) in 7 and 30 days;
- interviews: started per interview (event ``flow_started``), finished per interview and per
  route (``flow_finished``);
- drop-off: interviews that were started but not finished and have been idle for more than a day,
  by the last question answered (``answered`` events; "before the first answer" when none). An
  interview is one ``flow_started`` up to the next one of the same user; answering again after
  the outcome (changing an answer) reopens it until it is finished again. Idle ones newer than a
  day are counted as in progress, not as drop-off;
- top FAQ answers (``faq_answered``, by button or typed question);
- unanswered questions: all, and in the last 30 days.

Usage::

    stats = await collect(db)
    print(plain_text(render(stats, kb, "en")))
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.storage import Database, EventRecord
from dialogs.i18n import translator
from dialogs.render import short
from dialogs.reply import Block
from knowledge import KnowledgeBase

IDLE = timedelta(days=1)  # an unfinished interview idle this long counts as dropped
MAX_EVENTS = 1_000_000  # far above a law firm's bot; keeps one query bounded
TOP_FAQ = 10
TOP_DROPOFF = 10


@dataclass
class Statistics:
    users_total: int = 0
    users_blocked: int = 0
    by_language: dict[str, int] = field(default_factory=dict)
    active_7: int = 0
    active_30: int = 0
    started: Counter[str] = field(default_factory=Counter)  # flow -> interviews started
    finished: Counter[str] = field(default_factory=Counter)  # flow -> interviews finished
    routes: Counter[str] = field(default_factory=Counter)  # route -> results shown
    dropoff: Counter[tuple[str, str]] = field(default_factory=Counter)  # (flow, node or "")
    in_progress: int = 0
    faq: Counter[str] = field(default_factory=Counter)  # FAQ id -> answers given
    unanswered_total: int = 0
    unanswered_30: int = 0


@dataclass
class _Attempt:
    flow: str
    last_node: str = ""
    finished: bool = False
    last_at: datetime | None = None


async def collect(db: Database, now: datetime | None = None) -> Statistics:
    now = now or datetime.now(UTC)
    stats = Statistics()
    async with db.read() as r:
        everyone = await r.users.stats(active_since=now - timedelta(days=7))
        month = await r.users.stats(active_since=now - timedelta(days=30))
        stats.users_total, stats.users_blocked = everyone.total, everyone.blocked
        stats.by_language = dict(everyone.by_language)
        stats.active_7, stats.active_30 = everyone.active, month.active
        interview: list[EventRecord] = []
        for kind in ("flow_started", "answered", "flow_finished"):
            interview += await r.events.list(kind=kind, limit=MAX_EVENTS)
        for data, count in (await r.events.data_counts("faq_answered")).items():
            faq_id = _field(data, "faq")
            if faq_id:
                stats.faq[faq_id] += count
        stats.unanswered_total = await r.unanswered.count()
        stats.unanswered_30 = await r.unanswered.count(since=now - timedelta(days=30))
    _interviews(stats, sorted(interview, key=lambda e: e.id), now)
    return stats


def _interviews(stats: Statistics, events: list[EventRecord], now: datetime) -> None:
    current: dict[int | None, _Attempt] = {}

    def close(attempt: _Attempt | None) -> None:
        if attempt is None or attempt.finished:
            return
        if attempt.last_at is not None and now - attempt.last_at < IDLE:
            stats.in_progress += 1
        else:
            stats.dropoff[(attempt.flow, attempt.last_node)] += 1

    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        flow = str(data.get("flow") or "")
        attempt = current.get(event.user_id)
        if event.kind == "flow_started":
            stats.started[flow] += 1
            close(attempt)
            attempt = current[event.user_id] = _Attempt(flow)
        elif event.kind == "answered":
            if attempt is None or attempt.flow != flow:  # started before events were kept
                close(attempt)
                attempt = current[event.user_id] = _Attempt(flow)
            attempt.last_node, attempt.finished = str(data.get("node") or ""), False
        elif event.kind == "flow_finished":
            stats.finished[flow] += 1
            route = str(data.get("route") or "")
            if route:
                stats.routes[route] += 1
            if attempt is not None:
                attempt.finished = True
        if attempt is not None:
            attempt.last_at = event.at
    for attempt in current.values():
        close(attempt)


def _field(data: str, key: str) -> str | None:
    try:
        value = json.loads(data)
    except ValueError:
        return None
    return str(value[key]) if isinstance(value, dict) and value.get(key) else None


def render(stats: Statistics, kb: KnowledgeBase, lang: str) -> list[Block]:
    """The statistics as blocks (Telegram renders them as HTML, the command line as text)."""
    _ = translator(lang).gettext
    not_chosen = _("not chosen")  # outside the f-string, where pybabel can extract it
    languages = ", ".join(f"{code or not_chosen}: {count}"
                          for code, count in stats.by_language.items()) or "—"
    blocks = [
        Block("title", _("Statistics")),
        Block("item", _("Users: {total} (blocked the bot: {blocked})").format(
            total=stats.users_total, blocked=stats.users_blocked)),
        Block("item", _("By language: {languages}").format(languages=languages)),
        Block("item", _("Active in the last 7 days: {week}; in the last 30 days: {month}")
              .format(week=stats.active_7, month=stats.active_30)),
        Block("heading", _("Interviews")),
    ]
    flows = list(dict.fromkeys([*kb.flows, *stats.started, *stats.finished]))
    for flow in flows:
        blocks.append(Block("item", _("{title}: started {started}, finished {finished}").format(
            title=_title(kb, "flow", flow, lang), started=stats.started[flow],
            finished=stats.finished[flow])))
    if stats.routes:
        blocks.append(Block("heading", _("Results by route")))
        blocks += [Block("item", f"{_title(kb, 'route', route, lang)}: {count}")
                   for route, count in stats.routes.most_common()]
    blocks.append(Block("heading", _("Where unfinished interviews stopped")))
    if not stats.dropoff:
        blocks.append(Block("text", _("No unfinished interviews.")))
    for (flow, node), count in stats.dropoff.most_common(TOP_DROPOFF):
        where = (_("after “{question}”").format(question=_question(kb, flow, node, lang))
                 if node else _("before the first answer"))
        blocks.append(Block("item", f"{_title(kb, 'flow', flow, lang)}: {where}: {count}"))
    blocks.append(Block("note", _("Counted: interviews idle for more than a day. In progress "
                                  "now: {count}.").format(count=stats.in_progress)))
    blocks.append(Block("heading", _("Top FAQ answers")))
    if not stats.faq:
        blocks.append(Block("text", _("No FAQ answers yet.")))
    for faq_id, count in stats.faq.most_common(TOP_FAQ):
        blocks.append(Block("item", f"{_faq_title(kb, faq_id, lang)}: {count}"))
    blocks.append(Block("text", _("Unanswered questions: {total} ({recent} in the last 30 "
                                  "days).").format(total=stats.unanswered_total,
                                                   recent=stats.unanswered_30)))
    return blocks


def _title(kb: KnowledgeBase, kind: str, key: str, lang: str) -> str:
    item = kb.flows.get(key) if kind == "flow" else kb.routes.get(key)
    return short(kb.text(item.title, lang), 60) if item is not None else key or "?"


def _question(kb: KnowledgeBase, flow: str, node_id: str, lang: str) -> str:
    node = kb.flows[flow].nodes.get(node_id) if flow in kb.flows else None
    if node is None or node.text is None:
        return node_id  # the question is gone since a reload: its id still says which
    return short(kb.text(node.text, lang).strip().splitlines()[0], 70)


def _faq_title(kb: KnowledgeBase, faq_id: str, lang: str) -> str:
    entry = kb.faq_by_id.get(faq_id)
    questions = entry.questions.get(lang) if entry is not None else None
    return short(questions[0], 70) if questions else faq_id
