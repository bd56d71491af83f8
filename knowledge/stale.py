"""Entries whose ``reviewed:`` date is older than a cut-off, for ``validate --stale DAYS``."""

from __future__ import annotations

import datetime as dt

from knowledge.model import KnowledgeBase


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
