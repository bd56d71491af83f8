"""Knowledge-base load and validation time; the cost of one dialog step in the engine.

Usage::

    .venv/bin/python -m bench.engine_bench
"""

from __future__ import annotations

import random
from typing import Any

from bench.common import percentile, row, time_ms
from dialogs.engine import ChatEngine, UserInput
from dialogs.paths import all_paths
from knowledge import check_knowledge, load_knowledge

SEED = 20261125


def run() -> list[dict[str, Any]]:
    rows = []
    load = time_ms(lambda: check_knowledge(), repeat=5)
    best = min(load)
    rows.append(row("knowledge base load + full validation", best, "ms", "≤ 1000 ms",
                    best <= 1000))

    kb = load_knowledge()
    engine = ChatEngine(kb)
    rng = random.Random(SEED)
    # Real paths through the interviews, replayed as button presses from fresh sessions.
    paths = [(flow_id, answers) for flow_id, flow in kb.flows.items()
             for answers, _ in all_paths(flow)]
    rng.shuffle(paths)
    samples: list[float] = []
    for flow_id, answers in paths[:300]:
        session = engine.new_session("ru")
        presses = [f"m:{flow_id}"] + [f"a:{node}:{option}" for node, option in answers]
        for press in presses:
            samples += time_ms(
                lambda p=press, s=session: engine.handle(s, UserInput(press=p)), 1)
    rows.append(row("dialog step (press → reply), p50", percentile(samples, 0.5), "ms"))
    rows.append(row("dialog step (press → reply), p99", percentile(samples, 0.99), "ms",
                    "≤ 5 ms", percentile(samples, 0.99) <= 5))
    return rows


def main() -> None:
    from bench.__main__ import print_table

    print_table(run())


if __name__ == "__main__":
    main()
