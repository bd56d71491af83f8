"""The hand-off screens in the engine (dialogs/handoff.py): consent, the contact, the stage's
expiry, forged presses and the daily limit, without Telegram."""

from __future__ import annotations

import datetime as dt

from dialogs.engine import ChatEngine
from dialogs.handoff import MAX_PER_DAY, REQUESTED, STAGE_TTL
from dialogs.testing import ChatDriver
from knowledge import KnowledgeBase


def _asked(chat: ChatDriver) -> None:
    chat.send("/menu")
    chat.press("Talk to a consultant")
    assert "Do you agree?" in chat.text()
    assert [b.id for b in chat.buttons()] == ["ho:yes", "ho:no"]
    chat.press_id("ho:yes")
    [message] = chat.last.messages
    assert [k.request_contact for k in message.keys] == [True, False]


def test_consent_then_a_typed_contact_requests_the_handoff(engine: ChatEngine) -> None:
    chat = ChatDriver(engine, "en", handoff=True)
    _asked(chat)
    chat.send("8 701 123")  # an attempt: a hint, the keys again, nothing requested
    assert "does not look like a phone number" in chat.text()
    assert chat.last.messages[0].keys and not chat.last.events
    chat.send("+7 701 123 45 67")
    [event] = [e for e in chat.last.events if e.kind == REQUESTED]
    assert event.data == {"contact": "phone", "value": "+7 701 123 45 67"}
    assert "+7 701 123 45 67" in chat.text() and chat.last.messages[-1].clear_keys
    chat.send("+7 701 123 45 67")  # afterwards a phone number is only a text again
    assert not [e for e in chat.last.events if e.kind == REQUESTED]


def test_a_shared_phone_is_taken_only_when_asked_for(engine: ChatEngine) -> None:
    chat = ChatDriver(engine, "en", handoff=True)
    chat.send("/start")
    chat.share_contact("77010000000")
    assert "only read text messages" in chat.text()
    _asked(chat)
    chat.share_contact("77010000000")
    [event] = [e for e in chat.last.events if e.kind == REQUESTED]
    assert event.data["value"] == "+77010000000"


def test_a_question_instead_of_a_contact_ends_it_and_is_answered(engine: ChatEngine) -> None:
    chat = ChatDriver(engine, "en", handoff=True)
    _asked(chat)
    chat.send("how long is a work permit valid")
    texts = [m.text for m in chat.last.messages]
    assert "nothing was sent to a consultant" in texts[0] and chat.last.messages[0].clear_keys
    assert "How long is a work permit valid?" in "\n".join(texts[1:])


def test_forged_or_stale_consent_is_out_of_date(engine: ChatEngine) -> None:
    chat = ChatDriver(engine, "en", handoff=True)
    chat.send("/start")
    chat.press_id("ho:yes")  # never offered
    assert "out of date" in chat.text() and not chat.last.messages[-1].keys
    _asked(chat)
    chat.press_id("ho:no")  # consent is no longer the question
    assert "out of date" in chat.text()


def test_the_contact_stage_expires(engine: ChatEngine, kb: KnowledgeBase) -> None:
    clock = [dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)]
    timed = ChatEngine(kb, now=lambda: clock[0])
    chat = ChatDriver(timed, "en", handoff=True)
    _asked(chat)
    clock[0] += STAGE_TTL + dt.timedelta(minutes=1)
    chat.send("+7 701 123 45 67")
    assert not [e for e in chat.last.events if e.kind == REQUESTED]


def test_without_a_consultants_chat_or_in_a_group_the_contacts_are_shown(
        engine: ChatEngine) -> None:
    chat = ChatDriver(engine, "en")  # handoff=False: the console, a group, no chat configured
    chat.send("/menu")
    chat.press("Talk to a consultant")
    assert "Do you agree?" not in chat.text() and not any(
        b.id.startswith("ho:") for b in chat.buttons())


def test_a_person_sends_at_most_max_per_day_requests(engine: ChatEngine) -> None:
    """#17: 15 hand-offs in a row once posted 15 cards; now the limit is said, with contacts."""
    chat = ChatDriver(engine, "en", handoff=True)
    for number in range(MAX_PER_DAY):
        _asked(chat)
        chat.send(f"+7 701 123 45 6{number}")
        assert [e for e in chat.last.events if e.kind == REQUESTED]
    chat.send("/menu")
    chat.press("Talk to a consultant")
    assert f"already sent {MAX_PER_DAY} requests" in chat.text()
    assert not any(b.id.startswith("ho:") for b in chat.buttons())
