"""What admins should re-check: entries whose ``reviewed:`` date is older than a cut-off
(``validate --stale DAYS``), and entries with a rule that came into force or ended since they
were last reviewed (``validate`` always lists these)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from knowledge.model import KnowledgeBase
from knowledge.schema import InForce


def stale_entries(kb: KnowledgeBase, cutoff: dt.date) -> list[str]:
    """``kind id: reviewed DATE`` lines, oldest first, for everything reviewed before ``cutoff``."""
    found: list[tuple[dt.date, str]] = []
    for doc_id, document in kb.documents.items():
        found.append((document.reviewed, f"document {doc_id}"))
    for route_id, route in kb.routes.items():
        found.append((route.reviewed, f"route {route_id}"))
    for entry in kb.faq:
        found.append((entry.reviewed, f"faq {entry.id}"))
    for fact_id, fact in kb.facts.items():
        if fact.reviewed is not None:
            found.append((fact.reviewed, f"fact {fact_id}"))
    return [
        f"{label}: reviewed {reviewed.isoformat()}"
        for reviewed, label in sorted(found)
        if reviewed < cutoff
    ]


def _dates(value: Any) -> Iterator[dt.date]:
    """Every from:/until: date inside ``value`` (until: counts from the day after)."""
    if isinstance(value, InForce):
        if value.valid_from is not None:
            yield value.valid_from
        if value.valid_until is not None:
            yield value.valid_until + dt.timedelta(days=1)
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _dates(getattr(value, name))
    elif isinstance(value, list):
        for item in value:
            yield from _dates(item)


def changed_since_review(kb: KnowledgeBase, today: dt.date) -> list[str]:
    """``kind id: a rule changed on DATE, reviewed DATE`` for every route and FAQ entry with a
    from:/until: date that has passed since its last review: the text in force changed by
    itself; someone should read it again."""
    lines = []
    entries = [(f"route {r.id}", r) for r in kb.routes.values()]
    entries += [(f"faq {e.id}", e) for e in kb.faq]
    for label, entry in entries:
        passed = [d for d in _dates(entry) if entry.reviewed < d <= today]
        if passed:
            lines.append(f"{label}: a rule changed on {max(passed).isoformat()}, "
                         f"reviewed {entry.reviewed.isoformat()}")
    return lines


def unofficial_entries(kb: KnowledgeBase) -> list[str]:
    """``kind id: no official source: WHY`` for the marked exceptions (``unofficial:``)."""
    entries = [(f"route {r.id}", r) for r in kb.routes.values()]
    entries += [(f"faq {e.id}", e) for e in kb.faq]
    return [f"{label}: no official source: {entry.unofficial}"
            for label, entry in entries if entry.unofficial]


def unfilled_offices(kb: KnowledgeBase) -> list[str]:
    """``office N (address): no city, no phone`` for every office the admins have not filled in
    (meta.yaml ``offices``): users see only what is there, so a missing phone means none shown."""
    lines = []
    for number, office in enumerate(kb.meta.offices, start=1):
        missing = [name for name in ("city", "phone") if getattr(office, name) is None]
        if missing:
            address = kb.text(office.address, kb.meta.default_language)
            lines.append(f"office {number} ({address}): no {', no '.join(missing)}")
    return lines
