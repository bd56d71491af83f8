"""The checklist is one message that every tick edits: it must fit, on every path."""

from __future__ import annotations

import pytest

from dialogs.buttons import encode
from dialogs.engine import CHECKLIST_AIM, ChatEngine
from dialogs.outcome import first_sentence, session_outcome
from dialogs.testing import ChatDriver
from knowledge import KnowledgeBase
from tests.telegram.helpers import scenario


def test_first_sentence() -> None:
    assert first_sentence("Apostilled or legalised for use. Then translated.") == (
        "Apostilled or legalised for use.")
    assert first_sentence("Apostilled. Then translated.") == "Apostilled. Then translated."
    assert first_sentence("A diploma (e.g. a B.Sc.) of higher education. More.") == (
        "A diploma (e.g. a B.Sc.) of higher education.")
    assert first_sentence("x" * 300).endswith("…") and len(first_sentence("x" * 300)) == 160


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
@pytest.mark.parametrize("name", ["Uzbek welder hired by a Kazakhstan company",
                                  "Indian engineer transferred from the parent company"])
def test_the_checklist_is_one_message_that_fits(engine: ChatEngine, kb: KnowledgeBase,
                                                 lang: str, name: str) -> None:
    case = scenario(name)
    chat = ChatDriver(engine, lang)
    chat.walk(case["flow"], case["answers"])
    chat.press_id("ck")
    [message] = chat.last.messages
    assert len(message.text) <= CHECKLIST_AIM  # #14: fits a phone, ticks included
    toggles = [b for row in message.buttons for b in row if b.id.startswith("ck:")]
    for button in toggles:  # every document is still named
        assert kb.text(kb.documents[button.id[3:]].name, lang)[:30] in message.text
    # The notes left out are one press away, in full.
    ids = [b.id for row in message.buttons for b in row]
    assert encode("o", "docs") in ids
    chat.press_id(encode("o", "docs"))
    details = chat.last.messages[0].text
    result = session_outcome(kb, engine.walkers, chat.session)
    notes = [" ".join(kb.text(d.notes, lang).split())[:40] for _i, d in result.documents
             if d.notes]
    assert len(details) <= 4096
    assert any(note in " ".join(details.split()) for note in notes), details[:500]
