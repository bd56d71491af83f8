"""The labelled development set and its evaluation, shared by the tests and ``make bench``.

Files: ``tests/search/devset_<lang>.yaml``, a list of
``{query, expect, kind, ui?}``: `expect` is an FAQ id, a small-talk id (kind ``smalltalk``) or
null (off-topic); `ui` is the interface language when it differs from the query's (cross-language).

Also a minimal reader of the FAQ and small-talk YAML (ids, variants, keywords, phrases only), so
search can be evaluated while other parts of the knowledge base are unfinished.

Usage::

    items = load_devset()
    search = FaqSearch.build(load_faq(), load_smalltalk(), situations=load_situations())
    report = evaluate(search, items)
    report.accuracy, report.offtopic_rejection, report.by_kind()
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.problems import Problem
from knowledge.schema import SituationsFile
from knowledge.yamlsource import read_yaml

from .index import FaqSearch
from .model import SearchResult

ROOT = Path(__file__).resolve().parents[2]
DEVSET_DIR = ROOT / "tests" / "search"
BASE_DIR = ROOT / "knowledge" / "base"
SMALLTALK_FIXTURE = DEVSET_DIR / "smalltalk_fixture.yaml"


@dataclass(frozen=True)
class DevItem:
    query: str
    expect: str | None
    kind: str
    lang: str  # the language the query is written in (from the file name)
    ui: str  # the interface language it is searched with


@dataclass(frozen=True)
class FaqRecord:
    id: str
    questions: dict[str, list[str]]
    keywords: dict[str, list[str]] = field(default_factory=dict)
    routes: tuple[str, ...] = ()  # the routes an entry is written for (FAQ field ``routes``)
    audience: str | None = None  # the side that asks it, worker or employer (FAQ ``audience``)


@dataclass(frozen=True)
class SmalltalkRecord:
    id: str
    phrases: dict[str, list[str]]


def load_devset(folder: Path = DEVSET_DIR) -> list[DevItem]:
    items = []
    for path in sorted(folder.glob("devset_*.yaml")):
        lang = path.stem.removeprefix("devset_")
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            items.append(
                DevItem(str(raw["query"]), raw.get("expect"), raw["kind"], lang,
                        raw.get("ui", lang))
            )
    return items


def load_faq(base: Path = BASE_DIR) -> list[FaqRecord]:
    entries = []
    for path in sorted((base / "faq").glob("*.yaml")):
        for raw in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("faq", []):
            entries.append(FaqRecord(raw["id"], raw.get("questions") or {},
                                     raw.get("keywords") or {},
                                     tuple(raw.get("routes") or ()), raw.get("audience")))
    return entries


def load_situations(base: Path = BASE_DIR) -> SituationsFile | None:
    """The base's ``situations.yaml`` (its countries tell a question about another country),
    or None when the base has none."""
    path = base / "situations.yaml"
    if not path.exists():
        return None
    problems: list[Problem] = []
    doc = read_yaml(path, path.name, problems)  # the base's own YAML rules ("NO" is Norway)
    if problems or doc.data is None:
        raise ValueError("; ".join(map(str, problems)) or f"{path} is empty")
    return SituationsFile.model_validate(doc.data)


def load_smalltalk(base: Path = BASE_DIR) -> list[SmalltalkRecord]:
    """The base's small talk, or the test fixture while the base has none."""
    path = base / "smalltalk.yaml"
    if not path.exists():
        path = SMALLTALK_FIXTURE
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [SmalltalkRecord(i["id"], i.get("phrases") or {}) for i in raw.get("smalltalk", [])]


@dataclass(frozen=True)
class Outcome:
    item: DevItem
    result: SearchResult

    @property
    def correct(self) -> bool:
        """Right entry on top (answered or first suggestion), or rightly not an FAQ answer."""
        r, item = self.result, self.item
        if item.kind == "smalltalk":
            return r.kind == "smalltalk" and r.smalltalk_id == item.expect
        if item.expect is None:
            return r.kind in ("none", "smalltalk")
        return r.kind in ("answer", "suggest") and r.matches[0].id == item.expect

    @property
    def wrong_answer(self) -> bool:
        """Answered directly with the wrong entry: the failure that matters most."""
        r = self.result
        return r.kind == "answer" and r.matches[0].id != self.item.expect


@dataclass(frozen=True)
class Report:
    outcomes: list[Outcome]

    def _share(self, selected: list[Outcome]) -> float:
        return sum(o.correct for o in selected) / len(selected) if selected else 0.0

    @property
    def faq_outcomes(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.item.expect is not None
                and o.item.kind != "smalltalk"]

    @property
    def accuracy(self) -> float:
        """Top-1 accuracy over queries that have an FAQ answer."""
        return self._share(self.faq_outcomes)

    @property
    def offtopic_rejection(self) -> float:
        return self._share([o for o in self.outcomes if o.item.kind == "offtopic"])

    @property
    def smalltalk_accuracy(self) -> float:
        return self._share([o for o in self.outcomes if o.item.kind == "smalltalk"])

    @property
    def answer_rate(self) -> float:
        """Share of FAQ queries answered directly (the rest get suggestions or nothing)."""
        faq = self.faq_outcomes
        return sum(o.result.kind == "answer" for o in faq) / len(faq) if faq else 0.0

    @property
    def wrong_answers(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.wrong_answer]

    @property
    def query_lang_accuracy(self) -> float:
        """Share of cross-language queries whose language was recognised (to offer a switch)."""
        cross = [o for o in self.outcomes if o.item.kind == "cross_language"]
        return sum(o.result.query_lang == o.item.lang for o in cross) / len(cross) if cross else 0

    def by_kind(self) -> dict[str, tuple[float, int]]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for o in self.outcomes:
            groups[o.item.kind].append(o)
        return {kind: (self._share(g), len(g)) for kind, g in sorted(groups.items())}

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]


def evaluate(search: FaqSearch, items: list[DevItem]) -> Report:
    return Report([Outcome(item, search.search(item.query, item.ui)) for item in items])


HELD_OUT_KK = DEVSET_DIR / "heldout_kk_morph.yaml"


@dataclass(frozen=True)
class HeldOutReport:
    """How the search did on a held-out set: counts out of ``total``."""

    total: int
    top1: int
    top3: int
    wrong_answers: int


def evaluate_held_out(search: FaqSearch, path: Path = HELD_OUT_KK,
                      lang: str = "kk") -> HeldOutReport:
    """Kazakh questions with suffix chains, written without looking at the search and never
    used to tune it: the honest figure for how Kazakh word endings are handled."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    top1 = top3 = wrong = 0
    for item in items:
        result = search.search(item["query"], lang)
        ids = [match.id for match in result.matches]
        top1 += bool(ids) and ids[0] == item["expect"]
        top3 += item["expect"] in ids
        wrong += result.kind == "answer" and ids[0] != item["expect"]
    return HeldOutReport(len(items), top1, top3, wrong)
