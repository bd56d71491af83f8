"""Generated from the YAML: every path of every flow, in every language, ends at a result that
fits a phone and is written for its reader.

For each path: the first message is at most ``HEAD_LIMIT`` characters, every section and the
checklist fit Telegram's 4,096; the checklist, the share summary and "Send everything" list the
same documents, the ones :func:`dialogs.outcome.documents` gives; nothing shown speaks to the
other reader (meta.yaml ``addressing``); no placeholder is left unfilled.
"""

from __future__ import annotations

import re

import pytest

from dialogs import outcome
from dialogs.buttons import encode
from dialogs.engine import ChatEngine, UserInput
from dialogs.paths import all_paths
from dialogs.records import MemoryRecords
from dialogs.reply import Message
from dialogs.walker import FlowWalker
from knowledge import load_knowledge

KB = load_knowledge()
ENGINE = ChatEngine(KB)
LANGS = ("ru", "kk", "en")
TELEGRAM_LIMIT = 4096
UNFILLED = re.compile(r"\{[a-z][a-z0-9_.]*\}")
PATHS = [(flow_id, answers, outcome_id) for flow_id, flow in KB.flows.items()
         for answers, outcome_id in all_paths(flow)]


def test_every_flow_has_paths_and_every_route_is_an_outcome_somewhere() -> None:
    reached = {KB.flows[f].nodes[o].route for f, _, o in PATHS}
    assert reached == set(KB.routes)


def documents_named(text: str, lang: str) -> set[str]:
    """The ids of the documents whose name appears in ``text``."""
    flat = " ".join(text.split())
    return {doc_id for doc_id, doc in KB.documents.items()
            if " ".join(KB.text(doc.name, lang).split()) in flat}


def press(session, button: str) -> list[Message]:
    return ENGINE.handle(session, UserInput(press=button), MemoryRecords()).messages


def other_side_phrases(audience: str | None, lang: str) -> list[str]:
    if audience is None:
        return []
    other = "employer" if audience == "worker" else "worker"
    phrases = KB.meta.addressing.get(other)
    return [p.casefold() for p in phrases.get(lang)] if phrases else []


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("flow_id", sorted(KB.flows))
def test_every_result_fits_a_phone_and_is_written_for_its_reader(flow_id: str,
                                                                lang: str) -> None:
    walker = FlowWalker(KB.flows[flow_id])
    audience = walker.flow.audience
    disclaimer = " ".join(KB.text(KB.meta.disclaimer, lang).split())
    paths = [(answers, o) for f, answers, o in PATHS if f == flow_id]
    assert paths
    longest = 0
    for answers, outcome_id in paths:
        facts = {walker.node(node).fact: option for node, option in answers}
        where = f"{flow_id} {answers} {lang}"
        session = ENGINE.new_session(lang)
        first = ENGINE.open_answers(session, flow_id, facts, lang).messages
        assert session.dialog is not None and session.dialog.node == outcome_id, where
        result = outcome.outcome_of(KB, walker, session.dialog)
        assert result is not None, where
        expected = {doc_id for doc_id, _doc in result.documents}
        head = first[-1]
        assert head.text.startswith(KB.text(result.route.title, lang)), where
        assert len(head.text) <= outcome.HEAD_LIMIT, (where, len(head.text))
        longest = max(longest, len(head.text))
        checklist = press(session, encode("ck"))
        share = press(session, encode("sh"))
        whole = press(session, encode("o", "all"))
        shown = [*first, *checklist, *share, *whole]
        for message in shown:
            assert len(message.text) <= TELEGRAM_LIMIT, (where, len(message.text))
            assert not UNFILLED.search(message.text), (where, message.text)
            for phrase in other_side_phrases(audience, lang):
                assert phrase not in message.text.casefold(), (where, phrase)
        headings = tuple(outcome.side_headings(audience, lang).values())
        lists = [m for m in whole if m.text.startswith(headings)]
        for name, messages in (("checklist", checklist), ("share", share),
                               ("everything", lists)):
            found = documents_named("\n".join(m.text for m in messages), lang)
            assert found >= expected, (where, name, expected - found)
            assert found == documents_named(
                "\n".join(m.text for m in checklist), lang), (where, name)
        assert disclaimer in " ".join("\n".join(m.text for m in whole).split()), where
        assert whole[-1].buttons, where
    print(f"{flow_id} {lang}: {len(paths)} paths, longest first message "
          f"{longest} characters (limit {outcome.HEAD_LIMIT})")


@pytest.mark.parametrize("lang", LANGS)
def test_each_section_pressed_alone_fits_and_has_a_way_back(lang: str) -> None:
    seen = set()
    for flow_id, answers, _outcome_id in PATHS:
        walker = FlowWalker(KB.flows[flow_id])
        facts = {walker.node(node).fact: option for node, option in answers}
        route = walker.node(_outcome_id).route
        if (flow_id, route) in seen:
            continue
        seen.add((flow_id, route))
        session = ENGINE.new_session(lang)
        ENGINE.open_answers(session, flow_id, facts, lang)
        result = outcome.outcome_of(KB, walker, session.dialog)
        for name in outcome.available_sections(KB, result, lang):
            button = encode("ck") if name == "docs" else encode("o", name)
            (message,) = press(session, button)
            assert len(message.text) <= TELEGRAM_LIMIT, (flow_id, route, name)
            assert encode("x") in {b.id for row in message.buttons for b in row}
