"""The paths added for review 2026-12 D: changing employer with a permit, and a family member who
wants to work. Each reaches the work-permit route and says what is particular to it."""

from __future__ import annotations

import pytest

from dialogs.engine import ChatEngine
from dialogs.testing import ChatDriver
from knowledge import KnowledgeBase
from tests.telegram.helpers import scenario

CASES = {
    "Turkish cook who already holds a permit and moves to another restaurant": "change_employer",
    "Chinese engineer's wife on a family visa who wants to work as an accountant": "dependant",
}


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_path_says_what_is_particular_to_it(engine: ChatEngine, kb: KnowledgeBase,
                                                lang: str, name: str) -> None:
    case = scenario(name)
    chat = ChatDriver(engine, lang)
    chat.walk(case["flow"], case["answers"])
    extra = next(e for e in kb.flows["worker"].nodes["out_work_permit"].extras
                 if e.when.get("activity") == [CASES[name]])
    chat.press_id("o:all")  # "Send everything"
    shown = " ".join(" ".join(m.text.split()) for m in chat.last.messages)
    assert " ".join(kb.text(extra.text, lang).split())[:120] in shown
    if CASES[name] == "dependant":  # already in Kazakhstan with the family: not asked about it
        asked = [node for node, _option in case["answers"]]
        assert "family" not in asked
