"""The loaded knowledge base: one immutable object shared by every conversation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.clock import today_kz
from knowledge.facts import FactFormatter
from knowledge.schema import (
    Calculator,
    Dated,
    Document,
    Fact,
    FaqEntry,
    Flow,
    Meta,
    Route,
    SituationsFile,
    Smalltalk,
    version_for,
    when_matches,
)


@dataclass(frozen=True)
class KnowledgeBase:
    directory: Path
    meta: Meta
    facts: dict[str, Fact]
    documents: dict[str, Document]
    routes: dict[str, Route]
    flows: dict[str, Flow]
    faq: list[FaqEntry]
    smalltalk: list[Smalltalk]
    deadlines: dict[str, Calculator] = field(default_factory=dict)
    situations: SituationsFile | None = None  # reading facts from a described situation
    today: Callable[[], dt.date] = today_kz
    formatter: FactFormatter = field(init=False, repr=False, compare=False)
    faq_by_id: dict[str, FaqEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "formatter", FactFormatter(self.facts, self.meta, self.today))
        object.__setattr__(self, "faq_by_id", {entry.id: entry for entry in self.faq})

    @property
    def version(self) -> str:
        return self.meta.version

    def text(self, text: Dated | None, lang: str) -> str:
        """The text in ``lang`` with its placeholders filled; empty for a missing text. Of a
        text that changes on a date, the version in force today."""
        text = version_for(text, self.today())
        if text is None:
            return ""
        return self.formatter.fill(text.get(lang) or "", lang)

    def documents_for(
        self, route: Route, answers: dict[str, str], extra: list[str] = ()
    ) -> list[tuple[str, Document]]:
        """The route's documents (plus ``extra`` ids) that apply to these answers, in order."""
        chosen: list[tuple[str, Document]] = []
        for doc_id in [*route.documents, *extra]:
            document = self.documents.get(doc_id)
            if document is None or any(doc_id == seen for seen, _ in chosen):
                continue
            if when_matches(document.when, answers):
                chosen.append((doc_id, document))
        return chosen
