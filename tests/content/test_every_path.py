"""Generated from the YAML: every path of every flow, in every language, ends at an outcome
that renders completely (route, why, documents, steps, disclaimer; no unfilled placeholder;
no message over Telegram's 4,096 characters)."""

from __future__ import annotations

import re

import pytest

from dialogs.paths import all_paths
from dialogs.render import outcome_messages
from dialogs.walker import FlowWalker
from knowledge import load_knowledge

KB = load_knowledge()
LANGS = ("ru", "kk", "en")
UNFILLED = re.compile(r"\{[a-z][a-z0-9_.]*\}")
PATHS = [(flow_id, answers, outcome) for flow_id, flow in KB.flows.items()
         for answers, outcome in all_paths(flow)]


def test_every_flow_has_paths_and_every_route_is_an_outcome_somewhere() -> None:
    reached = {KB.flows[f].nodes[o].route for f, _, o in PATHS}
    assert reached == set(KB.routes)


@pytest.mark.slow
@pytest.mark.parametrize("flow_id", sorted(KB.flows))
def test_every_path_of_the_flow_renders_in_every_language(flow_id: str) -> None:
    walker = FlowWalker(KB.flows[flow_id])
    disclaimers = {lang: " ".join(KB.text(KB.meta.disclaimer, lang).split()) for lang in LANGS}
    paths = [(answers, outcome) for f, answers, outcome in PATHS if f == flow_id]
    assert paths
    for answers, outcome in paths:
        facts = {walker.node(node).fact: option for node, option in answers}
        state = walker.start(KB.version, facts).state
        assert state.node == outcome, (answers, state.node)
        route = KB.routes[walker.node(outcome).route]
        for lang in LANGS:
            messages = outcome_messages(KB, walker, state, lang)
            text = "\n".join(m.text for m in messages)
            where = f"{flow_id} {answers} {lang}"
            assert text.startswith(KB.text(route.title, lang)), where
            assert disclaimers[lang] in " ".join(text.split()), where
            assert not UNFILLED.search(text), (where, UNFILLED.search(text).group(0))
            assert all(len(m.text) < 4096 for m in messages), where
            assert messages[-1].buttons, where
