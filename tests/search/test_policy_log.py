"""The confidence policy and the log of unsure questions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs.search import (
    Match,
    MemoryQuestionLog,
    QuestionLog,
    SearchResult,
    Thresholds,
    decide,
    record_if_unsure,
)

POLICY = Thresholds(answer=80, margin=8, floor=60, lead_floor=55, lead=15)


@pytest.mark.parametrize(
    ("scores", "kind"),
    [
        ([], "none"),
        ([59.9, 50], "none"),
        ([54.9, 10], "none"),  # below both floors, however far ahead
        ([57, 41], "suggest"),  # between the floors and clearly ahead of the runner-up
        ([57, 43], "none"),  # between the floors but not clearly ahead
        ([95, 70], "answer"),
        ([95], "answer"),
        ([95, 90], "suggest"),  # confident but not clearly ahead of the runner-up
        ([79, 10], "suggest"),  # clearly ahead but not confident
        ([60, 59], "suggest"),
    ],
)
def test_decide(scores: list[float], kind: str) -> None:
    assert decide(scores, POLICY) == kind


def result(kind: str, score: float | None) -> SearchResult:
    matches = (Match("quota_what", score, "Что такое квота?", "ru"),) if score else ()
    return SearchResult(kind, matches, "ru")  # type: ignore[arg-type]


async def test_unsure_questions_are_recorded_with_language_time_and_score() -> None:
    log = MemoryQuestionLog()
    at = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert isinstance(log, QuestionLog)
    assert await record_if_unsure(log, "квота?", "en", result("suggest", 70.0), at)
    assert await record_if_unsure(log, "погода", "en", result("none", None), at)
    assert not await record_if_unsure(log, "что такое квота", "en", result("answer", 95.0), at)
    assert [(e.text, e.lang, e.at, e.best_score, e.kind) for e in log.entries] == [
        ("квота?", "ru", at, 70.0, "suggest"),
        ("погода", "ru", at, None, "none"),
    ]


async def test_an_asynchronous_log_is_awaited() -> None:
    recorded = []

    class AsyncLog:
        async def record(self, text, lang, at, best_score, kind):
            recorded.append(text)

    assert await record_if_unsure(AsyncLog(), "x", "kk", result("none", None))
    assert recorded == ["x"]
