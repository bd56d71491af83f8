"""Facts read from a described situation (#13) on the blind held-out sets.

Each message of ``tests/facts/heldout/*.yaml`` was written, with the facts it states, by a helper
who saw neither the reader nor its phrases. Counted per stated fact: read right, missed, and
**read wrong** (a value that differs, or a fact read that the message does not state). `job` is
labelled as written, not as a category; the reader reads a category only where the job clearly
points to one (the examples of the category question's help). So the category is counted apart:
the one expected is the category of the labelled job by ``JOB_CATEGORY`` (the same examples, as
the writer named the job), none for any other job, and a category read for another job, or for a
message naming none, is read wrong. Facts are counted in the interviews' terms (:func:`in_terms`).
Questions saved: for messages that state two or more facts,
the interview questions on the way to the outcome that the answers read skip (the rest answered
as the message's author would, see :func:`questions_saved`).

    python -m bench.facts_bench
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.common import row
from dialogs.situation import SituationReader
from dialogs.walker import FlowWalker
from knowledge import KnowledgeBase, load_knowledge

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "facts" / "heldout"
NOT_READ = ("job",)
SEPARATE = ("category",)
JOB_CATEGORY = {  # words of the labelled job -> the category the question's help gives for it
    "engineer": "cat3", "programmer": "cat3", "developer": "cat3", "doctor": "cat3",
    "economist": "cat3", "welder": "cat4", "electrician": "cat4", "fitter": "cat4",
    "machine operator": "cat4",
}
SETS = {"dev": "dev (tuned on)", "dev2": "dev2 (blind; tuned on after one look)",
        "sealed": "sealed (opened once, 2026-12-07)",
        "sealed2": "sealed2 (written blind 2026-12-07, opened once for the job categories)",
        "sealed3": "sealed3 (written blind 2026-12-07, opened once for the wider phrasings)",
        "sealed4": "sealed4 (written blind 2026-12-07, opened once for the wishes and hires)",
        "sealed5": "sealed5 (written blind 2026-12-07, opened once for the role weights)",
        "sealed6": "sealed6 (written blind 2026-12-07, opened once for the language words)",
        "sealed7": "sealed7 (written blind 2026-12-07, opened once for the hires and the writers)",
        "sealed8": "sealed8 (written blind 2026-12-07, opened once for the general and gap rules)"}


@dataclass
class Tally:
    stated: int = 0
    right: int = 0
    wrong: int = 0
    missed: int = 0
    saved: list[int] = field(default_factory=list)  # questions saved, messages with >= 2 facts
    none_changed: int = 0  # messages that state nothing but got a reading
    none_messages: int = 0
    category: dict[str, int] = field(
        default_factory=lambda: {"expected": 0, "right": 0, "wrong": 0, "missed": 0})

    @property
    def right_share(self) -> float:
        return self.right / self.stated if self.stated else 0.0

    @property
    def wrong_share(self) -> float:
        return self.wrong / self.stated if self.stated else 0.0


def load(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((HELDOUT / f"{name}.yaml").read_text(encoding="utf-8"))


def tally(kb: KnowledgeBase, messages: list[dict[str, Any]]) -> Tally:
    reader = SituationReader(kb.situations, kb.flows)
    walkers = {flow_id: FlowWalker(flow) for flow_id, flow in kb.flows.items()}
    t = Tally()
    for message in messages:
        gold = in_terms(reader, {k: str(v) for k, v in message["facts"].items()
                                 if k not in NOT_READ})
        read = reader.read(message["text"])
        got = in_terms(reader, {k: v for k, v in read.items() if k not in SEPARATE})
        expected, category = job_category(message["facts"].get("job")), read.get("category")
        t.category["expected"] += expected is not None
        t.category["right"] += expected is not None and category == expected
        t.category["wrong"] += category is not None and category != expected
        t.category["missed"] += expected is not None and category is None
        t.stated += len(gold)
        t.right += sum(1 for k, v in got.items() if gold.get(k) == v)
        t.wrong += sum(1 for k, v in got.items() if gold.get(k) != v)
        t.missed += sum(1 for k in gold if k not in got)
        if not gold:
            t.none_messages += 1
            t.none_changed += bool(reader.interview(read))
        if len(gold) >= 2:
            t.saved.append(questions_saved(reader, walkers, kb.version, read, gold))
    return t


def in_terms(reader: SituationReader, facts: dict[str, str]) -> dict[str, str]:
    """The facts in the interviews' terms: a value that no answer of the writer's interview
    takes is left out, on both sides (a worker's post is asked only of heads, so "role_in_company:
    other" for a hired worker, which one writer labelled, is no fact of the worker interview)."""
    lines = [line for interview in reader.situations.interviews.values()
             if interview.role == facts.get("role") for line in interview.answers]
    kept = {}
    for fact, value in facts.items():
        takes = [line for line in lines if line.fact == fact]
        if takes and all(line.values is not None and value not in line.values for line in takes):
            continue
        kept[fact] = value
    return kept


def questions_saved(reader: SituationReader, walkers: dict[str, FlowWalker], version: str,
                    read: dict[str, str], gold: dict[str, str]) -> int:
    """The questions the user is not asked: the interview starts with the answers read, the
    user answers every other question as the message's author would (the labelled facts, else
    the first option), and the questions on the way to the outcome that the reading had
    answered are counted; an answer read for a question further on (kept by the walker until
    the path reaches it) counts once the path does."""
    found = reader.interview(read)
    if not found:
        return 0
    flow, answers = found
    walker = walkers[flow]
    labelled = (reader.interview(gold) or (flow, {}))[1]
    state = walker.start(version, answers).state
    for _ in range(len(walker.flow.nodes)):
        node = walker.flow.nodes.get(state.node)
        if node is None or node.type != "question":
            break
        options = [option.id for option in node.options]
        choice = labelled.get(node.fact or "")
        state = walker.answer(state, state.node, choice if choice in options else options[0]
                              ).state
    return sum(1 for node, _node_id, option in walker.answered_questions(state)
               if answers.get(node.fact or "") == option)


def job_category(job: str | None) -> str | None:
    words = str(job or "").lower()
    return next((cat for word, cat in JOB_CATEGORY.items() if word in words), None)


def latency(kb: KnowledgeBase, messages: list[dict[str, Any]], rounds: int = 20
            ) -> tuple[float, float]:
    reader = SituationReader(kb.situations, kb.flows)
    times = []
    for _ in range(rounds):
        for message in messages:
            start = time.perf_counter()
            reader.read(message["text"])
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99)]


def _row(name: str, value: float, unit: str, target: str = "", ok: bool | None = None,
         note: str = "") -> dict[str, Any]:
    result = row(name, value, unit, target, ok)
    if note:
        result["note"] = note
    return result


def run() -> list[dict[str, Any]]:
    kb = load_knowledge()
    rows = []
    everything = []
    for name, label in SETS.items():
        if not (HELDOUT / f"{name}.yaml").exists():
            continue
        messages = load(name)
        everything += messages
        t = tally(kb, messages)
        sealed = name.startswith("sealed")
        rows.append(_row(f"facts {name}: read right", 100 * t.right_share, "%",
                        ">= 90%" if sealed else "", t.right_share >= 0.90 if sealed else None,
                        note=f"{label}; {t.right}/{t.stated} stated facts"))
        rows.append(_row(f"facts {name}: read wrong", 100 * t.wrong_share, "%",
                        "<= 2%" if sealed else "", t.wrong_share <= 0.02 if sealed else None,
                        note=f"{t.wrong} facts"))
        rows.append(_row(f"facts {name}: missed", 100 * t.missed / max(1, t.stated), "%",
                        note=f"{t.missed} facts"))
        mean = statistics.mean(t.saved) if t.saved else 0.0
        rows.append(_row(f"facts {name}: questions saved (2+ facts)", mean, "",
                        ">= 1.5" if sealed else "", mean >= 1.5 if sealed else None,
                        note=f"{len(t.saved)} messages"))
        c = t.category
        rows.append(_row(f"facts {name}: category from the job, read right",
                         100 * c["right"] / max(1, c["expected"]), "%",
                         note=f"{c['right']}/{c['expected']} messages whose job has one; "
                              f"{c['wrong']} read wrong, {c['missed']} missed"))
        rows.append(_row(f"facts {name}: no-fact messages changed", t.none_changed, "",
                        "0", t.none_changed == 0, note=f"of {t.none_messages}"))
    p50, p99 = latency(kb, everything)
    rows.append(_row("facts: read p50", p50, "ms"))
    rows.append(_row("facts: read p99", p99, "ms", "<= 1 ms", p99 <= 1.0))
    return rows


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table(run())
