"""The Mermaid diagrams in docs/flows/ are current: regenerate them after editing a flow with
``make diagrams``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli_graph import mermaid
from knowledge import load_knowledge

DOCS = Path(__file__).resolve().parents[2] / "docs" / "flows"
KB = load_knowledge()


@pytest.mark.parametrize("flow", sorted(KB.flows))
def test_the_diagram_of_each_flow_is_current(flow: str) -> None:
    text = (DOCS / f"{flow}.md").read_text(encoding="utf-8")
    diagram = mermaid(KB, flow, "en").replace(KB.version, "")
    assert diagram in text.replace(KB.version, ""), (
        f"docs/flows/{flow}.md is out of date: run python -m bot graph {flow} --lang en")
