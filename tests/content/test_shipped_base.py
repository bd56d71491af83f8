"""The shipped knowledge base is clean and complete."""

from __future__ import annotations

from knowledge import check_knowledge, load_knowledge


def test_validate_is_clean() -> None:
    kb, problems = check_knowledge()
    assert problems == []
    assert kb is not None


def test_counts_meet_the_content_issue() -> None:
    kb = load_knowledge()
    assert len(kb.faq) >= 60
    assert {"worker", "employer"} <= set(kb.flows)
    for entry in kb.faq:
        for lang in ("ru", "kk", "en"):
            assert len(entry.questions.get(lang)) >= 3, entry.id
    for route in kb.routes.values():
        assert route.sources and route.reviewed
