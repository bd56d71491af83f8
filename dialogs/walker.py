"""Moving through one interview: start, answer, back, change an answer, restart, progress.

Pure functions of a :class:`~knowledge.schema.Flow` and a :class:`~dialogs.state.DialogState`.
The position is always *derived* from the answers: :meth:`FlowWalker.replay` walks from the
start following the recorded answers and stops at the first question without a valid answer.
That one rule gives every operation its meaning:

* answering records the fact and replays, so later answers that are still on the path are kept
  (``pending`` holds them while the user is back at an earlier question) and only newly
  reachable questions are asked;
* Back forgets the answer to the previous question and replays, landing on it;
* changing an answer forgets it and replays, landing on that question;
* answers to questions that drop off the path are discarded, so they can never leak into the
  documents or the "why" of an outcome.

Flows are acyclic (the validator guarantees it), so a replay ends within ``len(nodes)`` steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.state import DialogState
from knowledge.schema import Flow, Node, Rule, when_matches


class StaleAnswer(Exception):
    """The answer does not fit the current question (an old or forged button)."""


@dataclass(frozen=True)
class Step:
    """The result of an operation: the new state and the info nodes newly passed on the way."""

    state: DialogState
    new_info: tuple[str, ...] = ()


def _follow(next_value: str | list[Rule] | None, answers: dict[str, str]) -> str | None:
    if next_value is None:
        return None
    if isinstance(next_value, str):
        return next_value
    for rule in next_value:
        if when_matches(rule.when, answers):
            return rule.goto
    return None


class FlowWalker:
    def __init__(self, flow: Flow):
        self.flow = flow
        # (node, known facts) -> fewest and most questions left; the flow never changes
        self._spans: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[int, int]] = {}

    def node(self, node_id: str) -> Node:
        return self.flow.nodes[node_id]

    def next_of(self, node_id: str, option_id: str | None, answers: dict[str, str]) -> str | None:
        node = self.flow.nodes[node_id]
        if option_id is not None:
            for option in node.options:
                if option.id == option_id and option.next is not None:
                    return _follow(option.next, answers)
        return _follow(node.next, answers)

    def replay(self, answers: dict[str, str]) -> tuple[str, list[str], dict[str, str]]:
        """Walk from the start with ``answers``.

        Return the current node, the path before it and the answers that were used on it.
        """
        node_id = self.flow.start
        path: list[str] = []
        kept: dict[str, str] = {}
        for _ in range(len(self.flow.nodes) + 1):
            node = self.flow.nodes.get(node_id)
            if node is None or node.type == "outcome":
                break
            if node.type == "info":
                following = self.next_of(node_id, None, kept)
                if following is None:
                    break
                path.append(node_id)
                node_id = following
                continue
            chosen = answers.get(node.fact or "")
            if chosen not in {option.id for option in node.options}:
                break
            kept[node.fact or ""] = chosen
            following = self.next_of(node_id, chosen, kept)
            if following is None:
                break
            path.append(node_id)
            node_id = following
        return node_id, path, kept

    def _settle(self, old: DialogState, answers: dict[str, str]) -> Step:
        node, path, kept = self.replay(answers)
        seen = set(old.history) | {old.node}
        new_info = tuple(n for n in path if self.flow.nodes[n].type == "info" and n not in seen)
        at_outcome = self.flow.nodes[node].type == "outcome" if node in self.flow.nodes else True
        state = DialogState(
            flow=old.flow,
            node=node,
            answers=kept,
            history=path,
            kb_version=old.kb_version,
            pending={} if at_outcome else {k: v for k, v in answers.items() if k not in kept},
            told=[fact for fact in old.told if fact in answers],
        )
        return Step(state, new_info)

    def start(self, kb_version: str, answers: dict[str, str] | None = None,
              told: list[str] | None = None) -> Step:
        """The interview from its start with ``answers`` filled in; ``told``: those of them read
        from the user's message, to be confirmed before the result."""
        empty = DialogState(flow=self.flow.id, node="", kb_version=kb_version,
                            told=list(told or []))
        return self._settle(empty, dict(answers or {}))

    def answer(self, state: DialogState, node_id: str, option_id: str) -> Step:
        node = self.flow.nodes.get(node_id)
        if node_id != state.node or node is None or node.type != "question":
            raise StaleAnswer(node_id)
        if option_id not in {option.id for option in node.options}:
            raise StaleAnswer(option_id)
        answers = {**state.pending, **state.answers, node.fact or "": option_id}
        return self._settle(state, answers)

    def back(self, state: DialogState) -> Step:
        """Return to the previous question (forgetting its answer); a no-op at the first one."""
        questions = [n for n in state.history if self.flow.nodes[n].type == "question"]
        if not questions:
            return Step(state)
        previous = self.flow.nodes[questions[-1]]
        answers = {**state.pending, **state.answers}
        old_choice = answers.pop(previous.fact or "", None)
        step = self._settle(state, answers)
        step.state.changing = old_choice
        return Step(step.state, ())

    def change(self, state: DialogState, node_id: str) -> Step:
        """Ask an earlier question again, keeping the other answers."""
        if node_id not in state.history:
            raise StaleAnswer(node_id)
        node = self.flow.nodes[node_id]
        if node.type != "question":
            raise StaleAnswer(node_id)
        answers = {**state.pending, **state.answers}
        old_choice = answers.pop(node.fact or "", None)
        step = self._settle(state, answers)
        step.state.changing = old_choice
        return Step(step.state, ())

    def restart(self, state: DialogState) -> Step:
        return self.start(state.kb_version)

    def answered_questions(self, state: DialogState) -> list[tuple[Node, str, str]]:
        """(question node, node id, chosen option id) for every answer on the current path."""
        found = []
        for node_id in state.history:
            node = self.flow.nodes[node_id]
            if node.type == "question" and node.fact in state.answers:
                found.append((node, node_id, state.answers[node.fact]))
        return found

    def progress(self, state: DialogState) -> tuple[int, int, int]:
        """(number of the current question, fewest and most questions in all) for the answers
        given so far: the range only narrows as the user answers, never jumps."""
        done = len(self.answered_questions(state))
        low, high = self._span(state.node, state.answers)
        return done + 1, done + max(1, low), done + max(1, high)

    def _span(self, node_id: str, facts: dict[str, str]) -> tuple[int, int]:
        """Fewest and most questions from ``node_id`` (inclusive) to an outcome, following only
        the ways the known facts leave open."""
        memo = self._spans
        if len(memo) > SPAN_CACHE:  # bounded: a flow has few distinct (node, facts) pairs
            memo.clear()

        def span(node_id: str, facts: dict[str, str], depth: int) -> tuple[int, int]:
            node = self.flow.nodes.get(node_id)
            if node is None or node.type == "outcome" or depth > len(self.flow.nodes):
                return 0, 0
            key = (node_id, tuple(sorted(facts.items())))
            if key in memo:
                return memo[key]
            if node.type == "info":
                following = self.next_of(node_id, None, facts)
                result = span(following, facts, depth + 1) if following else (0, 0)
            else:
                spans = []
                for option in node.options:
                    chosen = {**facts, node.fact or "": option.id}
                    following = self.next_of(node_id, option.id, chosen)
                    spans.append(span(following, chosen, depth + 1) if following else (0, 0))
                result = (1 + min(s[0] for s in spans), 1 + max(s[1] for s in spans)) \
                    if spans else (1, 1)
            memo[key] = result
            return result

        return span(node_id, dict(facts), 0)


SPAN_CACHE = 100_000  # entries of FlowWalker._spans before it is cleared


def _targets(next_value: str | list[Rule] | None) -> set[str]:
    if next_value is None:
        return set()
    if isinstance(next_value, str):
        return {next_value}
    return {rule.goto for rule in next_value}
