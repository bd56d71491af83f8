"""The confidence policy: when to answer, when to ask "did you mean", when to admit not knowing.

A wrong confident answer to a legal question is worse than a question back, so answering directly
needs both a high score and a clear lead over the runner-up. The shipped values are calibrated
with the ranker's model, out of fold on the development sets, and stored beside it in
``ranker.json`` (``python -m bench.fit_ranker``); the defaults below are used only when a search
is built with a model that carries none.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import ResultKind


@dataclass(frozen=True)
class Thresholds:
    answer: float = 80.0
    """Answer directly only at or above this score (0–100)..."""
    margin: float = 8.0
    """...and only when the runner-up is at least this many points behind."""
    floor: float = 61.0
    """Below this, nothing is close enough even to suggest..."""
    lead_floor: float = 55.0
    """...unless the best is at least this high and clearly ahead of the runner-up: one entry
    standing out ("need to talk to a real person" → contacts) is worth offering as a button,
    while off-topic questions share their few known words with several entries alike."""
    lead: float = 15.0
    """The lead over the runner-up that lets a score between the two floors be suggested."""
    smalltalk: float = 80.0
    """A small-talk phrase must match the whole message at least this well."""


def decide(scores: list[float], thresholds: Thresholds) -> ResultKind:
    """The kind of result for FAQ scores sorted best first (small talk is decided elsewhere)."""
    if not scores:
        return "none"
    runner_up = scores[1] if len(scores) > 1 else 0.0
    if scores[0] < thresholds.floor and not (
        scores[0] >= thresholds.lead_floor and scores[0] - runner_up >= thresholds.lead
    ):
        return "none"
    if scores[0] >= thresholds.answer and scores[0] - runner_up >= thresholds.margin:
        return "answer"
    return "suggest"
