"""FAQ search benchmark: accuracy on the labelled development set, match latency, index memory.

Rows (each ``{"name", "value", "unit", "target", "ok"}``):

- top-1 accuracy per kind of query (typo, translit, wrong layout, ...), overall accuracy,
  off-topic rejection, small-talk accuracy, wrong direct answers, direct-answer rate;
- match latency p50/p99 at the shipped knowledge-base size (target p99 ≤ 2 ms), over the dev-set
  queries, each timed several times (median per query, see :func:`_latencies_ms`);
- a synthetic 10,000-entry base, generated deterministically from the shipped words: index build
  time (≤ 2 s) and match latency p50/p99 (p99 ≤ 25 ms);
- memory held by the index (``tracemalloc``), shipped and synthetic.

Usage::

    .venv/bin/python -m bench.faq_bench        # or `make bench`, which runs every bench
"""

from __future__ import annotations

import random
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any

from dialogs.search import FaqSearch
from dialogs.search.devset import (
    FaqRecord,
    evaluate,
    evaluate_held_out,
    load_devset,
    load_faq,
    load_smalltalk,
)

SYNTHETIC_ENTRIES = 10_000
SEED = 20261125
LANGS = ("ru", "kk", "en")


def _row(name: str, value: float, unit: str, target: str, ok: bool) -> dict[str, Any]:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target, "ok": ok}


def _latencies_ms(
    search: FaqSearch, queries: Sequence[tuple[str, str]], rounds: int
) -> list[float]:
    """Per query, the median of `rounds` timed runs (ms).

    The median per query keeps a slow *query* in the tail while dropping the moments when the
    machine was busy with something else (tests of other work run on the same cores); the p99
    across queries is then the cost of the slowest queries, which is what the target is about.
    """
    for query, lang in queries[:20]:  # warm the caches the way a running bot has them warm
        search.search(query, lang)
    timings = []
    for query, lang in queries:
        runs = []
        for _ in range(rounds):
            start = time.perf_counter()
            search.search(query, lang)
            runs.append((time.perf_counter() - start) * 1000)
        timings.append(statistics.median(runs))
    return timings


def _percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def _measure_build(build: Callable[[], FaqSearch]) -> tuple[FaqSearch, float, float]:
    """The index, its build time in seconds and the memory it holds in MiB."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    search = build()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    # Build time without tracemalloc's overhead, which is what a start or /reload costs: the best
    # of three, so that other work on the same cores does not count as ours.
    times = []
    for _ in range(3):
        start = time.perf_counter()
        search = build()
        times.append(time.perf_counter() - start)
    return search, min(times), held / 2**20


def synthetic_faq(size: int = SYNTHETIC_ENTRIES, seed: int = SEED) -> list[FaqRecord]:
    """A deterministic base of `size` entries shaped like the shipped one.

    Each entry gets four questions and three keywords per language, made of words of the shipped
    base in that language plus two topic words of its own (built from shipped syllables), so the
    vocabulary grows with the base as a real one would.
    """
    rng = random.Random(seed)
    shipped = load_faq()
    words = {
        lang: sorted(
            {w for e in shipped for q in e.questions.get(lang, ()) for w in str(q).split()}
        )
        for lang in LANGS
    }
    syllables = sorted({w[:3] for lang in LANGS for w in words[lang] if len(w) >= 3})
    entries = []
    for number in range(size):
        topic = ["".join(rng.sample(syllables, 3)) for _ in range(2)]
        questions, keywords = {}, {}
        for lang in LANGS:
            questions[lang] = [
                " ".join([*rng.sample(words[lang], rng.randint(3, 6)), rng.choice(topic)])
                for _ in range(4)
            ]
            keywords[lang] = [*topic, rng.choice(words[lang])]
        entries.append(FaqRecord(f"syn{number}", questions, keywords))
    return entries


def _typo(text: str, rng: random.Random) -> str:
    """Drop one letter of a longer word, as a hurried thumb does."""
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) > 4]
    if long_words:
        i = rng.choice(long_words)
        cut = rng.randrange(1, len(words[i]) - 1)
        words[i] = words[i][:cut] + words[i][cut + 1 :]
    return " ".join(words)


def run() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    faq, smalltalk, items = load_faq(), load_smalltalk(), load_devset()

    shipped, build_s, memory_mib = _measure_build(lambda: FaqSearch.build(faq, smalltalk))
    report = evaluate(shipped, items)
    for kind, (share, count) in report.by_kind().items():
        rows.append(_row(f"dev top-1 {kind} (n={count})", 100 * share, "%", "", True))
    rows.append(_row(f"dev top-1 accuracy (n={len(report.faq_outcomes)})",
                     100 * report.accuracy, "%", ">= 90", report.accuracy >= 0.9))
    rows.append(_row("dev off-topic rejection", 100 * report.offtopic_rejection, "%", ">= 90",
                     report.offtopic_rejection >= 0.9))
    rows.append(_row("dev small talk recognised", 100 * report.smalltalk_accuracy, "%", ">= 90",
                     report.smalltalk_accuracy >= 0.9))
    rows.append(_row("dev wrong direct answers", len(report.wrong_answers), "queries", "0",
                     not report.wrong_answers))
    rows.append(_row("dev answered directly", 100 * report.answer_rate, "%", "", True))
    rows.append(_row("dev question language recognised (cross-language)",
                     100 * report.query_lang_accuracy, "%", "", True))
    held = evaluate_held_out(shipped)
    rows.append(_row(f"held-out Kazakh suffix chains (n={held.total}): top-1",
                     100 * held.top1 / held.total, "%", "", True))
    rows.append(_row("held-out Kazakh suffix chains: right one suggested (top-3)",
                     100 * held.top3 / held.total, "%", "", True))
    rows.append(_row("held-out Kazakh suffix chains: wrong direct answers", held.wrong_answers,
                     "queries", "0", held.wrong_answers == 0))

    queries = [(item.query, item.ui) for item in items]
    timings = _latencies_ms(shipped, queries, rounds=5)
    p99 = _percentile(timings, 99)
    rows.append(_row(f"shipped ({len(faq)} entries) build", 1000 * build_s, "ms", "", True))
    rows.append(_row("shipped match p50", _percentile(timings, 50), "ms", "", True))
    rows.append(_row("shipped match p99", p99, "ms", "<= 2", p99 <= 2.0))
    rows.append(_row("shipped index memory", memory_mib, "MiB", "", True))

    synthetic = synthetic_faq()
    big, big_build_s, big_memory_mib = _measure_build(
        lambda: FaqSearch.build(synthetic, smalltalk)
    )
    rng = random.Random(SEED)
    big_queries = []
    for _ in range(300):
        entry = rng.choice(synthetic)
        lang = rng.choice(LANGS)
        big_queries.append((_typo(rng.choice(entry.questions[lang]), rng), rng.choice(LANGS)))
    big_queries += queries  # off-topic and real-world queries against the big base too
    big_timings = _latencies_ms(big, big_queries, rounds=3)
    big_p99 = _percentile(big_timings, 99)
    rows.append(_row(f"synthetic ({len(synthetic)} entries) build", big_build_s, "s", "<= 2",
                     big_build_s <= 2.0))
    rows.append(_row("synthetic match p50", _percentile(big_timings, 50), "ms", "", True))
    rows.append(_row("synthetic match p99", big_p99, "ms", "<= 25", big_p99 <= 25.0))
    rows.append(_row("synthetic index memory", big_memory_mib, "MiB", "", True))
    return rows


def main() -> None:
    rows = run()
    width = max(len(r["name"]) for r in rows)
    print(f"{'FAQ search':<{width}}  {'value':>10}  {'unit':<8} {'target':<8} ok")
    for r in rows:
        mark = "yes" if r["ok"] else "NO"
        print(f"{r['name']:<{width}}  {r['value']:>10}  {r['unit']:<8} {r['target']:<8} {mark}")


if __name__ == "__main__":
    main()
