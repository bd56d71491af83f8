"""Staff screens are the engine's (#14): statistics, unanswered questions, the /reload report,
the consultants' card and the failed-card note, written without Telegram."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from dialogs.admin import (
    MAX_PROBLEMS,
    Client,
    Statistics,
    handoff_card,
    handoff_failed_note,
    reload_messages,
    stats_blocks,
    unanswered_blocks,
)
from dialogs.contact import Contact
from dialogs.engine import ChatEngine
from dialogs.reply import plain_text
from knowledge import load_knowledge
from knowledge.diff import ReloadOutcome, SectionChange
from knowledge.problems import Problem

KB = load_knowledge()
ENGINE = ChatEngine(KB)


def test_statistics_in_the_admins_language() -> None:
    stats = Statistics(users_total=5, users_blocked=1, by_language={"ru": 4, "": 1},
                       faq=Counter({"fee_amount": 3}))
    text = plain_text(stats_blocks(stats, KB, "en"))
    assert "Users: 5 (blocked the bot: 1)" in text and "not chosen: 1" in text
    assert KB.faq_by_id["fee_amount"].questions["en"][0][:40] in text


@dataclass(frozen=True)
class Row:
    text: str
    lang: str
    count: int


def test_unanswered_questions_count_people() -> None:
    text = plain_text(unanswered_blocks([Row("можно ли рыбачить", "ru", 3)], "en"))
    assert "3 👤 [ru] можно ли рыбачить" in text
    assert "None so far." in plain_text(unanswered_blocks([], "en"))


def test_the_reload_report_lists_problems_or_changes() -> None:
    refused = ReloadOutcome("1", None, problems=[Problem("faq/x.yaml", 3, "answer", "empty")]
                            * (MAX_PROBLEMS + 2))
    text = plain_text(reload_messages(refused, "en")[0].blocks)
    assert "The knowledge base was not reloaded" in text and "…and 2 more" in text
    done = ReloadOutcome("1", "2", changes=[SectionChange("faq", added=["new_entry"])])
    assert "FAQ: +1: new_entry" in plain_text(reload_messages(done, "en")[0].blocks)


def test_the_consultants_card_and_the_failed_card_note() -> None:
    session = ENGINE.new_session("kk")
    session.recent_questions = ["квота қанша?"]
    blocks = handoff_card(KB, ENGINE.walkers, session, Client("Aziz K", "aziz", 42),
                          Contact("phone", "+7 700 000 00 00"), {}, "ru")
    text = plain_text(blocks)
    assert "Aziz K (@aziz)" in text and "42" in text and "+7 700 000 00 00" in text
    assert "квота қанша?" in text and "Қазақ тілі" in text
    assert "no. 7" in handoff_failed_note("en", 7, 5, "timeout")
