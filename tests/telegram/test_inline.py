"""Inline mode over the fake Bot API: answers in the user's language, topics for an empty query,
odd queries answered without an error."""

from __future__ import annotations

from telegram.constants import MessageLimit

from bot.telegram.inline import search_articles, topic_articles
from dialogs.engine import ChatEngine
from knowledge import KnowledgeBase
from tests.fakeapi.markup import render_text
from tests.telegram.conftest import Harness


async def _answers(harness: Harness, user_id: int, query: str, lang: str = "en") -> list[dict]:
    user = harness.user(user_id, lang)
    query_id = await user.inline(query)
    await harness.api.wait_for(lambda: harness.api.inline_answers.get(query_id) is not None,
                               message="for the inline answer ")
    call = [c for c in harness.api.calls_to("answerInlineQuery")
            if str(c.params.get("inline_query_id")) == query_id][-1]
    assert 0 < int(call.params["cache_time"]) <= 60
    return harness.api.inline_answers[query_id] or []


async def test_a_question_lists_answers_ready_to_send(harness: Harness, kb: KnowledgeBase) -> None:
    results = await _answers(harness, 5001, "how long is a work permit valid", "en")
    assert 1 <= len(results) <= 5
    for result in results:
        assert result["type"] == "article"
        content = result["input_message_content"]
        plain = render_text(content["message_text"], content.get("parse_mode"))  # valid HTML
        assert len(plain) <= MessageLimit.MAX_TEXT_LENGTH
        entry = kb.faq_by_id[result["id"]]
        assert entry.questions.get("en")[0] in plain


async def test_the_stored_language_wins_over_telegram(harness: Harness,
                                                      kb: KnowledgeBase) -> None:
    user = harness.user(5002, "en")
    await user.send("/start")
    await user.wait_reply()
    await user.press_data("l:kk")
    await user.wait_reply()
    results = await _answers(harness, 5002, "work permit")
    assert results
    entry = kb.faq_by_id[results[0]["id"]]
    assert results[0]["title"].startswith(entry.questions.get("kk")[0][:30])


async def test_an_empty_query_lists_the_topics(harness: Harness, kb: KnowledgeBase) -> None:
    results = await _answers(harness, 5003, "", "ru")
    topics = {entry.topic for entry in kb.faq}
    assert len(results) == len(topics)
    assert {kb.faq_by_id[r["id"]].topic for r in results} == topics


async def test_odd_queries_get_an_answer_not_an_error(harness: Harness) -> None:
    for index, query in enumerate(("<b>&amp;", "💥" * 200, "   ", "asdfghjkl qwerty")):
        results = await _answers(harness, 5010 + index, query)
        assert isinstance(results, list)
    assert all(call.status == 200 for call in harness.api.calls_to("answerInlineQuery"))


def test_topic_articles_fit_one_message_and_off_topic_finds_nothing(engine: ChatEngine) -> None:
    articles = topic_articles(engine, "ru", "kzwork_test_bot")
    for article in articles:
        text = article.input_message_content.message_text
        assert len(render_text(text, "HTML")) <= MessageLimit.MAX_TEXT_LENGTH
    assert search_articles(engine, "", "en") and search_articles(engine, "погода в алматы", "en") \
        == []
