"""Inline answers are written by the engine (#14); Telegram only turns them into articles."""

from __future__ import annotations

from dialogs.engine import ChatEngine
from knowledge import load_knowledge

KB = load_knowledge()
ENGINE = ChatEngine(KB)


def test_a_question_gets_the_faq_answers_in_the_language_asked() -> None:
    answers = ENGINE.inline_answers("how long is a work permit valid", "kk")
    assert 1 <= len(answers) <= 5
    first = KB.faq_by_id[answers[0].id]
    assert answers[0].title == first.questions["kk"][0][:100] or answers[0].title.endswith("…")
    assert answers[0].blocks[0].text == first.questions["kk"][0]
    assert (answers[0].ask, answers[0].more) == ("Боттан сұрау", "Толық жауап — ботта.")


def test_an_empty_query_gives_one_answer_per_topic_and_off_topic_none() -> None:
    topics = list(dict.fromkeys(entry.topic for entry in KB.faq))
    answers = ENGINE.inline_answers("   ", "ru")
    assert [KB.faq_by_id[a.id].topic for a in answers] == topics
    assert ENGINE.inline_answers("погода в алматы", "en") == []
    assert isinstance(ENGINE.inline_answers("💥" * 300, "en"), list)
