"""The share screens are the engine's (#14): the link line, the refusal at the cap, and the note on
a result shared from another version of the guide. Telegram only stores the codes."""

from __future__ import annotations

import datetime as dt

from dialogs.engine import ChatEngine, EngineReply
from knowledge import load_knowledge

KB = load_knowledge()
ENGINE = ChatEngine(KB)


def test_the_share_link_says_until_when_it_works() -> None:
    session = ENGINE.new_session("en")
    reply = EngineReply()
    ENGINE.share_link(session, reply, "https://t.me/bot?start=s_abc", dt.date(2027, 1, 6))
    text = reply.messages[-1].text
    assert "It works until 6 January 2027." in text
    assert "https://t.me/bot?start=s_abc" in text


def test_the_cap_on_share_links_is_said_in_the_users_language() -> None:
    session = ENGINE.new_session("ru")
    reply = EngineReply()
    ENGINE.share_refused(session, reply, 100)
    assert "100" in reply.messages[-1].text and "Forward" not in reply.messages[-1].text


def test_a_result_from_another_version_of_the_guide_says_so_first() -> None:
    flow = next(iter(ENGINE.walkers))
    old = ENGINE.open_answers(ENGINE.new_session("en"), flow, {}, "en", kb_version="1999.01.01")
    assert "The guide has been updated since this result was shared" in old.messages[0].text
    same = ENGINE.open_answers(ENGINE.new_session("en"), flow, {}, "en", kb_version=KB.version)
    assert not any("has been updated" in m.text for m in same.messages)


def test_an_invalid_link_gets_a_note_and_the_usual_start() -> None:
    reply = ENGINE.invalid_link(ENGINE.new_session("en"))
    assert "This link is not valid or has expired" in reply.messages[0].text
    assert len(reply.messages) >= 1 and reply.messages[-1].buttons
