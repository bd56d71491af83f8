"""Usage statistics for admins, computed from the bot's database: one module, two front ends
(``/stats`` in Telegram and ``python -m bot stats``). No Telegram import: it reads storage only;
the screen is :func:`dialogs.admin.stats_blocks`.

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
    print(plain_text(dialogs.admin.stats_blocks(stats, kb, "en")))
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.storage import Database, EventRecord
from dialogs.admin import Statistics

IDLE = timedelta(days=1)  # an unfinished interview idle this long counts as dropped
MAX_EVENTS = 1_000_000  # far above a law firm's bot; keeps one query bounded


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
