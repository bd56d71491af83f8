"""The list of needs a blind writer gets (``tests/search/heldout/needs.md``), from today's answers.

A writer of a held-out set sees what the FAQ can answer, never how its questions are phrased: per
entry its id, its topic and the start of its English answer (placeholders left as they are, so
no figure is shown that the writer might copy). Regenerate before briefing new writers, so the
list matches the answers the set will be scored against.

Usage::

    .venv/bin/python -m bench.needs > tests/search/heldout/needs.md
"""

from __future__ import annotations

import re
import sys

from knowledge.loader import load_knowledge

SUMMARY_CHARS = 260
"""At most this long: a longer answer is cut three characters shorter and ends with "…" (the
lists the writers of sealed6 had, 2026-12-07)."""


def needs() -> list[str]:
    """One line per FAQ entry: ``- id (topic: topic): the start of the English answer…``."""
    lines = []
    for entry in load_knowledge().faq:
        text = re.sub(r"\s+", " ", entry.answer.get("en") or "").strip()
        if len(text) > SUMMARY_CHARS:
            text = text[:SUMMARY_CHARS - 3] + "…"
        lines.append(f"- {entry.id} (topic: {entry.topic}): {text}")
    return lines


def main() -> int:
    sys.stdout.write("\n".join(needs()) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
