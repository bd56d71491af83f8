"""A long section of a result comes in parts that fit a phone (#14: aim 1,500 characters), turned
with buttons that edit the message in place; a forged part is out of date."""

from __future__ import annotations

from dialogs import outcome
from dialogs.buttons import encode
from dialogs.engine import ChatEngine, UserInput
from dialogs.paths import all_paths
from dialogs.records import MemoryRecords
from dialogs.reply import Block
from dialogs.walker import FlowWalker
from knowledge import load_knowledge

KB = load_knowledge()
ENGINE = ChatEngine(KB)


def test_parts_cut_between_blocks_never_after_a_heading() -> None:
    blocks = [Block("heading", "H1"), *[Block("item", "x" * 300) for _ in range(8)],
              Block("heading", "H2"), Block("text", "y" * 300)]
    cut = outcome.parts(blocks, aim=1000)
    assert [b for part in cut for b in part] == blocks  # nothing lost, nothing repeated
    assert all(part[-1].style != "heading" for part in cut)
    assert all(sum(len(b.text) + 1 for b in part) <= 1000 + 301 for part in cut)
    assert len(outcome.parts(blocks[:2], aim=1000)) == 1


def _session_with_long_steps(lang: str):
    """The first interview path whose steps need more than one part."""
    for flow_id, flow in KB.flows.items():
        walker = FlowWalker(flow)
        for answers, _outcome_id in all_paths(flow):
            session = ENGINE.new_session(lang)
            ENGINE.open_answers(session, flow_id, {walker.node(n).fact: v for n, v in answers},
                                lang)
            result = outcome.session_outcome(KB, ENGINE.walkers, session)
            steps = outcome.section_blocks(KB, result, "steps", lang)
            if len(outcome.parts(steps)) > 1:
                return session
    raise AssertionError("no path has steps longer than one part")


def press(session, button: str):
    return ENGINE.handle(session, UserInput(press=button), MemoryRecords())


def test_the_steps_come_in_parts_turned_in_place() -> None:
    session = _session_with_long_steps("en")
    first = press(session, encode("o", "steps")).messages
    assert len(first) == 1 and "Part 1 of " in first[0].text
    ids = [b.id for row in first[0].buttons for b in row]
    assert encode("o", "steps", "2") in ids and encode("x") in ids
    assert len(first[0].text) <= 2500
    second = press(session, encode("o", "steps", "2")).messages
    assert second[0].replace and "Part 2 of " in second[0].text
    assert encode("o", "steps", "1") in [b.id for row in second[0].buttons for b in row]
    assert first[0].text != second[0].text
    forged = press(session, encode("o", "steps", "9")).messages
    unknown = press(session, encode("o", "no_such_section")).messages
    assert [m.text for m in forged] == [m.text for m in unknown]  # handled as any stale press
    assert "Part 9" not in forged[-1].text


def test_a_short_section_has_no_parts() -> None:
    session = _session_with_long_steps("ru")
    fees = press(session, encode("o", "fees")).messages
    assert "Часть" not in fees[0].text
    assert not any(b.id.startswith("o:fees:") for row in fees[0].buttons for b in row)
