"""Named scenarios (tests/data/scenarios.yaml) walked through the engine in every language,
pressing the buttons a person would press."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dialogs.engine import ChatEngine
from dialogs.testing import ChatDriver
from knowledge import load_knowledge

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios.yaml"
SCENARIOS = yaml.safe_load(DATA.read_text(encoding="utf-8"))["scenarios"]
KB = load_knowledge()
ENGINE = ChatEngine(KB)


def test_the_scenarios_reach_every_route() -> None:
    assert {s["route"] for s in SCENARIOS} == set(KB.routes)


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(scenario: dict, lang: str) -> None:
    chat = ChatDriver(ENGINE, lang=lang)
    chat.send("/start")
    flow = KB.flows[scenario["flow"]]
    chat.press(KB.text(flow.title, lang)[:40])
    for node_id, option_id in scenario["answers"]:
        node = flow.nodes[node_id]
        label = next(KB.text(o.label, lang) for o in node.options if o.id == str(option_id))
        assert chat.session.dialog.node == node_id, (scenario["name"], chat.text())
        chat.press_id(chat.find(label[:55]).id)
    route = KB.routes[scenario["route"]]
    assert chat.session.last_route == scenario["route"]
    assert chat.session.last_audience == flow.audience  # the side search ranks first
    text = chat.text()
    assert KB.text(route.title, lang) in text
    assert " ".join(KB.text(KB.meta.disclaimer, lang).split()) in " ".join(text.split())
