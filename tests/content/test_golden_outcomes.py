"""Golden files pin one result per route (the first scenario that reaches it), in every language:
the whole result as "Send everything" gives it, one message per section.

When content changes on purpose, regenerate them and review the diff::

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/content/test_golden_outcomes.py
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml

from dialogs import outcome
from dialogs.reply import plain_text
from dialogs.walker import FlowWalker
from knowledge import load_knowledge

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
SCENARIOS = yaml.safe_load((HERE.parent / "data" / "scenarios.yaml").read_text("utf-8"))
KB = load_knowledge(today=lambda: dt.date(2026, 11, 25))
FIRST = {}
for scenario in SCENARIOS["scenarios"]:
    FIRST.setdefault(scenario["route"], scenario)


def render(scenario: dict, lang: str) -> str:
    walker = FlowWalker(KB.flows[scenario["flow"]])
    facts = {walker.node(n).fact: str(o) for n, o in scenario["answers"]}
    state = walker.start(KB.version, facts).state
    result = outcome.outcome_of(KB, walker, state)
    messages = outcome.everything(KB, result, lang, walker, state)
    body = "\n\n=====\n\n".join(plain_text(blocks) for blocks in messages)
    # The version changes on every edit; the golden text pins the content, not the version.
    return body.replace(KB.version, "<version>") + "\n"


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
@pytest.mark.parametrize("route", sorted(FIRST))
def test_outcome_matches_golden_file(route: str, lang: str) -> None:
    path = GOLDEN / f"{route}.{lang}.txt"
    actual = render(FIRST[route], lang)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}; run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{path.name} changed"
