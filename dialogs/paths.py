"""Every path through an interview, for tests and for admins' coverage reports.

A path is the list of (question node, option id) answers from the start to an outcome. Rules
with ``when:`` are resolved by the answers on the path, exactly as the walker does.
"""

from __future__ import annotations

from collections.abc import Iterator

from dialogs.walker import FlowWalker
from knowledge.schema import Flow

Answer = tuple[str, str]


def all_paths(flow: Flow, limit: int = 100_000) -> Iterator[tuple[list[Answer], str]]:
    """Yield (answers, outcome node id) for every way through ``flow``."""
    walker = FlowWalker(flow)
    count = 0

    def walk(node_id: str, facts: dict[str, str], answers: list[Answer]):
        nonlocal count
        node = flow.nodes[node_id]
        if node.type == "outcome":
            count += 1
            if count > limit:
                raise RuntimeError(f"flow {flow.id} has more than {limit} paths")
            yield answers, node_id
            return
        if node.type == "info":
            following = walker.next_of(node_id, None, facts)
            if following is not None:
                yield from walk(following, facts, answers)
            return
        for option in node.options:
            chosen = {**facts, node.fact or "": option.id}
            following = walker.next_of(node_id, option.id, chosen)
            if following is not None:
                yield from walk(following, chosen, [*answers, (node_id, option.id)])

    yield from walk(flow.start, {}, [])
