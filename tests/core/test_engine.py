"""The chat engine on the small test base: menus, interview, FAQ, commands, bad input."""

from __future__ import annotations

import pytest

from dialogs.buttons import decode
from dialogs.engine import ChatEngine, UserInput
from dialogs.i18n import translator
from dialogs.state import Session
from dialogs.testing import ChatDriver


def test_start_shows_the_menu_with_every_flow(small_chat: ChatDriver) -> None:
    small_chat.send("/start")
    labels = [b.label for b in small_chat.buttons()]
    assert "I am a worker" in labels
    assert "Talk to a consultant" in labels


def test_a_worker_interview_reaches_an_outcome_with_why_documents_and_steps(small_chat) -> None:
    small_chat.send("/start")
    small_chat.press("I am a worker")
    assert "Your citizenship?" in small_chat.text()
    small_chat.press("Other")
    assert "A permit will be needed." in small_chat.text()
    small_chat.press("Spouse")
    small_chat.press("Yes")
    text = small_chat.text()
    assert "Work permit" in text
    assert "Why this route" in text and "You are not from the EAEU" in text
    assert "not legal advice" in text  # the disclaimer under the first message too
    small_chat.press("Send everything")
    text = small_chat.text()
    assert "Your spouse needs a permit of their own." in text  # a conditional extra
    assert "Documents you prepare" in text and "Marriage certificate" in text
    assert "Documents your employer prepares" in text
    # a placeholder filled; the no-break space of the fact ("3\u00a0working days") is kept
    assert "Notify arrival within 3\u00a0working days" in text
    assert "12 MCI (51,900\u00a0tenge in" in text
    assert "not legal advice" in text  # the disclaimer on every outcome
    assert "Knowledge base version test-1" in text


def test_documents_depend_on_answers(small_chat: ChatDriver) -> None:
    small_chat.send("/start")
    small_chat.press("I am a worker")
    small_chat.press("Other")
    small_chat.press("No")
    small_chat.press("Documents")
    assert "Marriage certificate" not in small_chat.text()
    assert "Passport copy" in small_chat.text()


def test_back_and_change_answer_from_the_summary(small_chat: ChatDriver) -> None:
    small_chat.send("/start")
    small_chat.press("I am a worker")
    small_chat.press("Other")
    small_chat.press("No")
    small_chat.press("◀ Back")
    assert "Is your family coming?" in small_chat.text()
    assert small_chat.find("✓ No")  # the earlier answer is marked
    small_chat.press("✓ No")
    small_chat.press("Change an answer")
    assert "1. Your citizenship? — Other" in small_chat.text()
    small_chat.press("Change 1")
    small_chat.press("EAEU")
    assert "EAEU citizens" in small_chat.text()


def test_the_outcome_of_each_language_is_in_that_language(small_engine: ChatEngine) -> None:
    for lang, title in (("ru", "Разрешение"), ("kk", "Рұқсат"), ("en", "Work permit")):
        chat = ChatDriver(small_engine, lang=lang)
        chat.send("/start")
        chat.press_id("m:worker")
        chat.press_id("a:citizenship:other")
        chat.press_id("a:family:none")
        assert chat.text().startswith(title)


@pytest.mark.parametrize(
    "forged",
    ["a:citizenship:eaeu", "a:citizenship:martian", "zzz", "", "a:x", "c:nowhere", "m:nope",
     "f:nope", "l:de", "a:" + "x" * 70, "a:citizenship:eaeu:extra", "t:nothing", "\x00"],
)
def test_forged_or_stale_buttons_say_out_of_date_and_show_the_current_step(
    small_chat: ChatDriver, forged: str
) -> None:
    small_chat.send("/start")
    small_chat.press("I am a worker")
    small_chat.press("Other")
    before = small_chat.session.dialog
    small_chat.press_id(forged)
    assert "This menu is out of date" in small_chat.text()
    assert "Is your family coming?" in small_chat.text()
    assert small_chat.session.dialog == before


def test_every_button_the_engine_shows_decodes(small_chat: ChatDriver) -> None:
    small_chat.send("/start")
    small_chat.press("I am a worker")
    small_chat.press("Other")
    for button in small_chat.buttons():
        assert decode(button.id) is not None, button.id
        assert len(button.id.encode()) <= 64


def test_free_text_answers_the_faq_and_offers_to_continue(small_chat: ChatDriver) -> None:
    small_chat.send("/start")
    small_chat.press("I am a worker")
    small_chat.send("how long is a work permit valid")
    text = small_chat.text()
    assert "Usually 12 months." in text
    assert "Sources\n• the firm's guide" in text and "Reviewed:" in text
    small_chat.press("Continue the interview")
    assert "Your citizenship?" in small_chat.text()


def test_a_typed_button_label_answers_the_question(small_chat: ChatDriver) -> None:
    small_chat.send("/start")
    small_chat.press("I am a worker")
    small_chat.send("Other")
    assert small_chat.session.dialog.answers == {"citizenship_group": "other"}


def test_a_very_long_message_gets_a_polite_reply(small_chat: ChatDriver) -> None:
    small_chat.send("/start")
    reply = small_chat.send("квота " * 1000)
    assert "too long" in small_chat.text()
    assert [e.kind for e in reply.events] == ["too_long"]


@pytest.mark.parametrize("text", ["", "   ", "/nonsense", "/start@kzwork_bot", "\u202e\u0000"])
def test_odd_texts_never_raise(small_chat: ChatDriver, text: str) -> None:
    reply = small_chat.send(text)
    assert reply.messages


def test_commands(small_chat: ChatDriver) -> None:
    small_chat.send("/start")
    small_chat.press("I am a worker")
    small_chat.press("Other")
    small_chat.send("/restart")
    assert "Your citizenship?" in small_chat.text()
    small_chat.send("/cancel")
    assert small_chat.session.dialog is None
    small_chat.send("/language")
    small_chat.press("Қазақ тілі")
    assert small_chat.session.lang == "kk"
    small_chat.send("/help")
    assert "/menu" in small_chat.text()


def test_deep_links_open_a_flow_in_a_language(small_engine: ChatEngine) -> None:
    chat = ChatDriver(small_engine, lang="en")
    chat.send("/start worker-kk")
    assert chat.session.lang == "kk"
    assert "Азаматтығыңыз?" in chat.text()
    chat.send("/start bad!payload")
    note = translator("kk").gettext(
        "This link is not valid or has expired, so here is the usual start.")
    assert note in chat.text()


def test_a_session_survives_json_and_a_corrupt_one_starts_fresh(small_engine) -> None:
    chat = ChatDriver(small_engine, lang="en")
    chat.send("/start")
    chat.press("I am a worker")
    restored = Session.from_json(chat.session.to_json())
    assert restored == chat.session
    broken = Session.from_json('{"lang": "xx", "dialog": {"flow": 5}}')
    assert broken.lang == "ru" and broken.dialog is None
    assert Session.from_json("not json").dialog is None


def test_a_session_from_another_knowledge_version_continues_where_possible(small_engine) -> None:
    chat = ChatDriver(small_engine, lang="en")
    chat.send("/start")
    chat.press("I am a worker")
    chat.press("Other")
    chat.session.dialog.kb_version = "old"
    chat.session.dialog.node = "removed_node"
    chat.send("/menu")
    assert chat.session.dialog.node == "family"  # replayed from the kept answers
    assert "The guide was updated" in chat.text()


def test_unanswered_questions_become_events(small_chat: ChatDriver) -> None:
    small_chat.send("/start")
    reply = small_chat.send("what is the weather on mars tomorrow")
    kinds = [e.kind for e in reply.events]
    assert "unanswered" in kinds
    event = next(e for e in reply.events if e.kind == "unanswered")
    assert event.data["text"] == "what is the weather on mars tomorrow"
    assert event.data["lang"] == "en"


def test_smalltalk_gets_a_friendly_reply(small_chat: ChatDriver) -> None:
    small_chat.send("hello")
    assert "Hello!" in small_chat.text()


def test_engine_input_is_pure(small_engine: ChatEngine) -> None:
    session = small_engine.new_session("kk-KZ")
    assert session.lang == "kk"
    reply = small_engine.handle(session, UserInput(press="m:worker"))
    assert reply.messages[0].replace is True  # navigation edits the message in place


def test_a_bug_becomes_an_apology_and_the_session_is_unchanged(small_engine, monkeypatch) -> None:
    chat = ChatDriver(small_engine, lang="en")
    chat.send("/start")
    chat.press("I am a worker")
    before = chat.session.to_json()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(small_engine, "_answer", broken)
    reply = chat.press_id("a:citizenship:other")
    assert "something went wrong" in chat.text()
    assert [e.kind for e in reply.events] == ["engine_error"]
    assert chat.session.to_json() == before


def test_an_outcome_shown_again_is_not_counted_as_finished_again(small_chat) -> None:
    small_chat.send("/start")
    small_chat.press("I am a worker")
    reply = small_chat.press("EAEU")
    assert [e.kind for e in reply.events].count("flow_finished") == 1
    reply = small_chat.press_id("x")
    assert "flow_finished" not in [e.kind for e in reply.events]


def test_session_to_dict_covers_every_field(small_chat) -> None:
    import dataclasses

    small_chat.send("/start")
    small_chat.press("I am a worker")
    small_chat.press("Other")
    session = small_chat.session
    assert session.to_dict() == dataclasses.asdict(session)


def test_forget_deletes_only_right_after_it_was_asked(small_chat: ChatDriver) -> None:
    """#17: a stale or forged fg:yes deletes nothing; after /forget it does."""
    small_chat.send("/start")
    small_chat.press("I am a worker")
    small_chat.press("Other")
    reply = small_chat.press_id("fg:yes")
    assert "out of date" in small_chat.text()
    assert small_chat.session.dialog is not None
    assert not [e for e in reply.events if e.kind == "user_forgotten"]
    small_chat.send("/forget")
    small_chat.send("what documents do I need?")  # anything else keeps the data
    small_chat.press_id("fg:yes")
    assert "out of date" in small_chat.text() and small_chat.session.dialog is not None
    small_chat.send("/forget")
    reply = small_chat.press_id("fg:yes")
    assert [e.kind for e in reply.events] == ["user_forgotten"]
    assert small_chat.session.dialog is None and small_chat.session.last_route is None


def test_a_double_tap_gets_one_answer_not_an_out_of_date_message(small_chat: ChatDriver) -> None:
    """#17: the second tap on the same answer is silent; another old button still explains."""
    small_chat.send("/start")
    small_chat.press("I am a worker")
    small_chat.press_id("a:citizenship:other")
    again = small_chat.press_id("a:citizenship:other")
    assert again.messages == [] and [e.kind for e in again.events] == ["repeated_press"]
    assert small_chat.session.dialog.node != "citizenship"
    other = small_chat.press_id("a:citizenship:eaeu")  # an old button, not a repeat
    assert [e.kind for e in other.events] == ["stale_button"]
    assert "out of date" in other.messages[0].text
