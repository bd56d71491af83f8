"""Every fact of the firm's guide (tests/data/guide_facts.yaml) is stated in ru, kk and en by
an FAQ entry that users can reach: from the topics menu and by asking its question."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dialogs.search import FaqSearch
from knowledge import load_knowledge

DATA = Path(__file__).resolve().parents[1] / "data" / "guide_facts.yaml"
FACTS = yaml.safe_load(DATA.read_text(encoding="utf-8"))["guide_facts"]
KB = load_knowledge()
SEARCH = FaqSearch.for_knowledge(KB)


def test_the_list_is_substantial_and_ids_are_unique() -> None:
    assert len(FACTS) >= 40
    assert len({f["id"] for f in FACTS}) == len(FACTS)


@pytest.mark.parametrize("fact", FACTS, ids=[f["id"] for f in FACTS])
def test_guide_fact_is_stated_and_reachable(fact: dict) -> None:
    entry = KB.faq_by_id.get(fact["faq"])
    assert entry is not None, f"{fact['id']}: no FAQ entry {fact['faq']!r}"
    for lang in ("ru", "kk", "en"):
        answer = KB.text(entry.answer, lang).casefold()
        for phrase in fact["must_contain"][lang]:
            assert phrase.casefold() in answer, f"{fact['id']} [{lang}]: {phrase!r} missing"
        raw = entry.answer.get(lang)
        for placeholder in fact.get("placeholders", []):
            assert "{" + placeholder + "}" in raw, f"{fact['id']} [{lang}]: {{{placeholder}}}"
        # Reachable by asking: the entry's own main question finds it.
        result = SEARCH.search(entry.questions.get(lang)[0], lang)
        assert fact["faq"] in [m.id for m in result.matches], (fact["id"], lang, result)
