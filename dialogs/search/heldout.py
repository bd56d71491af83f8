"""The blind held-out sets and what a user experiences on them.

Files: ``tests/search/heldout/{dev,sealed}_<lang>.yaml``, written by people who saw only a list of
topics (``BRIEF.md``, ``needs.md``), never the FAQ variants, the dev sets or the code. Each item::

    {id, lang, kind: long|short|offtopic|case, query, expect: [ids], also: [ids]?,
     case: {role, group}?}

`expect` lists the entries that answer the (first) question, `also` those for a second question;
off-topic items expect nothing. ``dev_*`` and ``devoff_*`` (off-topic only, close to the domain)
may be tuned on; each sealed set (``sealed_*``, ``sealed2_*``, ``sealed3_*``, ``sealed4_*``) is
opened once, for the final figures of one change, and is only a regression floor after that (the
first three are the ranker's training data since 2026-12-07; ``sealed4_*`` was opened that day
for the ranker fitted on them; ``sealed5_*``, written blind the same day, was opened once for the
ranker's "abroad" and "kz_citizen" features; all five are training data since; ``sealed6_*``,
written blind on 2026-12-07 from a brief regenerated from that day's answers, was opened once for
the ranker's lead features). The next change needs a new blind set.

What is counted is what the user sees (never a suggestion as an answer):

- *direct right*: answered directly with an expected entry (for two questions: either one);
- *in suggestions*: not answered directly, and an expected entry is among the buttons offered;
- *wrong direct*: answered directly with an entry that does not answer it (the costly one);
- *none*: "no answer", although the FAQ holds one;
- off-topic *answered directly* (wrong) or offered suggestions.

Usage::

    items = load_heldout("dev")
    tallies = evaluate_heldout(lambda item: search.search(item.query, item.lang), items)
    tallies["all", "long"].direct_right_share
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import SearchResult, UserCase

HELDOUT_DIR = Path(__file__).resolve().parents[2] / "tests" / "search" / "heldout"

GROUP_ROUTES = {"eaeu": "eaeu", "resident": "residence_permit", "kandas": "residence_kandas",
                "other": "work_permit"}
"""The route the interview gives each citizenship group of a ``case`` item (for the worker)."""


@dataclass(frozen=True)
class HeldOutItem:
    id: str
    lang: str
    kind: str
    query: str
    expect: tuple[str, ...]
    also: tuple[str, ...] = ()
    role: str | None = None
    group: str | None = None

    @property
    def route(self) -> str | None:
        return GROUP_ROUTES.get(self.group) if self.group else None

    @property
    def case(self) -> UserCase:
        """What the interview would have learnt of this user: their route and side."""
        return UserCase(self.route, self.role)


def load_heldout(split: str, folder: Path = HELDOUT_DIR,
                 langs: Iterable[str] | None = None) -> list[HeldOutItem]:
    """Every item of the `split` ("dev" or "sealed") files, in file order."""
    items = []
    for path in sorted(folder.glob(f"{split}_*.yaml")):
        lang = path.stem.removeprefix(f"{split}_")
        if langs is not None and lang not in langs:
            continue
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            case = raw.get("case") or {}
            items.append(HeldOutItem(
                str(raw["id"]), str(raw.get("lang", lang)), str(raw["kind"]), str(raw["query"]),
                tuple(raw.get("expect") or ()), tuple(raw.get("also") or ()),
                case.get("role"), case.get("group"),
            ))
    return items


@dataclass
class Tally:
    """Outcomes of one group of items."""

    total: int = 0
    direct_right: int = 0
    in_suggestions: int = 0
    wrong_direct: int = 0
    none: int = 0
    offtopic: int = 0
    offtopic_direct: int = 0
    offtopic_suggested: int = 0
    two_questions: int = 0
    both_found: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0

    def add(self, item: HeldOutItem, result: SearchResult) -> None:
        self.total += 1
        ids = [m.id for m in result.matches]
        if not item.expect:
            self.offtopic += 1
            if result.kind == "answer":
                self.offtopic_direct += 1
                self.failures.append((item.id, "off-topic answered", ids[0]))
            elif result.kind == "suggest":
                self.offtopic_suggested += 1
            return
        wanted = set(item.expect) | set(item.also)
        if result.kind == "answer":
            answered = set(ids[:1]) | set(m.id for m in result.also)
            if answered & wanted:
                self.direct_right += 1
            else:
                self.wrong_direct += 1
                self.failures.append((item.id, "wrong direct", ids[0]))
        elif result.kind == "suggest" and wanted & set(ids):
            self.in_suggestions += 1
        elif result.kind == "suggest":
            self.failures.append((item.id, "not among suggestions", ",".join(ids)))
        else:
            self.none += 1
            self.failures.append((item.id, "none", ""))
        if item.also:
            self.two_questions += 1
            offered = set(ids) | set(m.id for m in result.also)
            if offered & set(item.expect) and offered & set(item.also):
                self.both_found += 1


def evaluate_heldout(
    run: Callable[[HeldOutItem], SearchResult], items: Iterable[HeldOutItem]
) -> dict[tuple[str, str], Tally]:
    """Tallies keyed (language, kind), ("all", kind), (language, "on-topic") and
    ("all", "on-topic"); on-topic is every kind but off-topic."""
    tallies: dict[tuple[str, str], Tally] = {}
    for item in items:
        result = run(item)
        keys = [(item.lang, item.kind), ("all", item.kind)]
        if item.kind != "offtopic":
            keys += [(item.lang, "on-topic"), ("all", "on-topic")]
        for key in keys:
            tallies.setdefault(key, Tally()).add(item, result)
    return tallies
