"""FAQ search benchmark: what users get on the blind held-out sets, latency, index memory.

Rows (each ``{"name", "value", "unit", "target", "ok", "note"?}``):

- the blind held-out sets (``tests/search/heldout/``, see ``dialogs/search/heldout.py``), dev
  (tuned on), sealed and sealed2 (never tuned on; each opened for the final figures of one
  change, seen since) and sealed3 (written blind on 2026-12-07, opened for the figures of the
  plain-view "nearest" feature; these three are the ranker's training data since), and sealed4
  (written blind on 2026-12-07, opened once for the ranker fitted on the opened sets and the
  variants added for their misses; training data since), sealed5 (written blind on
  2026-12-07, opened once for the "abroad"/"kz_citizen" features; training data since) and
  sealed6 (written blind on 2026-12-07, opened once for the lead features: the latest honest
  figure), per language and kind
  (long / short / case / off-topic): the value is the share answered directly and right; the
  note gives the share with the right entry among the suggestions (not answered directly),
  **wrong direct answers**, no answer, and, in the same run, a baseline: character n-gram
  TF-IDF (scikit-learn's ``char_wb`` 2–4-grams, defaults otherwise) nearest question variant,
  as the share with the right entry first and among its first three (it has no policy, so it
  would answer everything);
  off-topic rows give the share answered directly (the value) and offered suggestions;
- the old development set (written alongside the FAQ variants, so a regression check, not a
  figure of users): right entry first, off-topic rejection, small talk, wrong direct answers;
- match latency p50/p99 at the shipped knowledge-base size (target p99 ≤ 20 ms), over the dev-set
  and held-out dev queries, each timed several times (median per query, see
  :func:`_latencies_ms`);
- a synthetic 10,000-entry base, generated deterministically from the shipped words: index build
  time (≤ 30 s) and match latency p50/p99 (p99 ≤ 500 ms): the ranker's vector spaces cost ten
  times the fuzzy index alone there (see the FAQ issue's note); the shipped base is 100 entries;
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

from sklearn.feature_extraction.text import TfidfVectorizer

from dialogs.search import FaqSearch
from dialogs.search.devset import (
    FaqRecord,
    evaluate,
    evaluate_held_out,
    load_devset,
    load_faq,
    load_situations,
    load_smalltalk,
)
from dialogs.search.heldout import HeldOutItem, Tally, evaluate_heldout, load_heldout

SYNTHETIC_ENTRIES = 10_000
SEED = 20261125
LANGS = ("ru", "kk", "en")


MAX_WRONG_DIRECT = 0.03
MAX_OFFTOPIC_DIRECT = 0.05


def _row(name: str, value: float, unit: str, target: str, ok: bool | None,
         note: str = "") -> dict[str, Any]:
    row = {"name": name, "value": round(value, 3), "unit": unit, "target": target, "ok": ok}
    if note:
        row["note"] = note
    return row


class Baseline:
    """Character n-gram TF-IDF nearest question variant (scikit-learn defaults, ``char_wb``
    2–4-grams): the plain design the ranker has to beat."""

    def __init__(self, faq: Sequence[FaqRecord]) -> None:
        texts, self.owner = [], []
        for entry in faq:
            for lang in LANGS:
                for text in entry.questions.get(lang) or ():
                    texts.append(str(text))
                    self.owner.append(entry.id)
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))
        self.matrix = self.vectorizer.fit_transform(texts)

    def ranking(self, query: str, limit: int = 3) -> list[str]:
        similarity = (self.matrix @ self.vectorizer.transform([query]).T).toarray().ravel()
        ids: list[str] = []
        for index in similarity.argsort()[::-1]:
            if self.owner[index] not in ids:
                ids.append(self.owner[index])
            if len(ids) == limit:
                break
        return ids


def _ranking_shares(rank: Callable[[HeldOutItem], list[str]], items: list[HeldOutItem]
                    ) -> tuple[float, float]:
    """Share of `items` whose right entry (either question's) is first / among the first three."""
    first = three = 0
    for item in items:
        wanted = set(item.expect) | set(item.also)
        ids = rank(item)
        first += bool(ids) and ids[0] in wanted
        three += bool(wanted & set(ids[:3]))
    return first / max(len(items), 1), three / max(len(items), 1)


def heldout_rows(search: FaqSearch, baseline: Baseline, split: str) -> list[dict[str, Any]]:
    """One row per (language, kind) of the `split` held-out sets, and totals."""
    items = load_heldout(split)
    if not items:
        return []
    tallies = evaluate_heldout(
        lambda item: search.search(item.query, item.lang, case=item.case), items)
    rows = []
    groups = sorted({(i.lang, i.kind) for i in items}) + [
        ("all", kind) for kind in ("long", "short", "case", "offtopic")
    ] + [("all", "on-topic")]
    for lang, kind in groups:
        tally: Tally = tallies.get((lang, kind)) or Tally()
        if not tally.total:
            continue
        group = [i for i in items if lang in ("all", i.lang)
                 and (kind == i.kind or (kind == "on-topic" and i.kind != "offtopic"))]
        name = f"held-out {split} {lang} {kind} (n={tally.total})"
        if kind == "offtopic":
            share = tally.share(tally.offtopic_direct)
            offered = tally.share(tally.offtopic_suggested)
            total = lang == "all"
            rows.append(_row(name + ": answered directly", 100 * share, "%",
                             f"<= {100 * MAX_OFFTOPIC_DIRECT:.0f}" if total else "",
                             share <= MAX_OFFTOPIC_DIRECT if total else None,
                             f"offered suggestions {100 * offered:.0f}%"
                             " · baseline would answer all"))
            continue
        ours_first, ours_three = _ranking_shares(
            lambda item: search.ranking(item.query, item.case), group)
        base_first, base_three = _ranking_shares(lambda item: baseline.ranking(item.query), group)
        wrong = tally.share(tally.wrong_direct)
        total = lang == "all" and kind == "on-topic"
        two = (f" · both of two questions offered {tally.both_found}/{tally.two_questions}"
               if tally.two_questions else "")
        rows.append(_row(
            name + ": answered right", 100 * tally.share(tally.direct_right), "%", "", None,
            f"in suggestions {100 * tally.share(tally.in_suggestions):.0f}% · wrong direct "
            f"{100 * wrong:.0f}% · none {100 * tally.share(tally.none):.0f}%{two} | ranking: "
            f"first {100 * ours_first:.0f}% top-3 {100 * ours_three:.0f}% · baseline first "
            f"{100 * base_first:.0f}% top-3 {100 * base_three:.0f}%"))
        if total:
            rows.append(_row(f"held-out {split}: wrong direct answers, on-topic", 100 * wrong,
                             "%", f"<= {100 * MAX_WRONG_DIRECT:.0f}", wrong <= MAX_WRONG_DIRECT))
    return rows


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


def _measure_build(build: Callable[[], FaqSearch], repeats: int = 3
                   ) -> tuple[FaqSearch, float, float]:
    """The index, its build time in seconds and the memory it holds in MiB."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    search = build()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    # Build time without tracemalloc's overhead, which is what a start or /reload costs: the best
    # of three, so that other work on the same cores does not count as ours.
    times = []
    for _ in range(repeats):
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


def run(sealed: bool = True) -> list[dict[str, Any]]:
    """Every row; ``sealed=False`` leaves the sealed held-out sets closed (while tuning)."""
    rows: list[dict[str, Any]] = []
    faq, smalltalk, items = load_faq(), load_smalltalk(), load_devset()
    situations = load_situations()  # the countries of "a question about elsewhere"

    shipped, build_s, memory_mib = _measure_build(
        lambda: FaqSearch.build(faq, smalltalk, situations=situations))
    baseline = Baseline(faq)
    splits = ("dev", "sealed", "sealed2", "sealed3", "sealed4", "sealed5", "sealed6", "sealed7")
    for split in splits if sealed else ("dev",):
        rows += heldout_rows(shipped, baseline, split)

    report = evaluate(shipped, items)
    rows.append(_row(f"old dev set: right entry first (n={len(report.faq_outcomes)})",
                     100 * report.accuracy, "%", ">= 88", report.accuracy >= 0.88))
    rows.append(_row("old dev set: off-topic rejected", 100 * report.offtopic_rejection, "%",
                     ">= 72", report.offtopic_rejection >= 0.72))
    rows.append(_row("old dev set: small talk recognised", 100 * report.smalltalk_accuracy, "%",
                     ">= 90", report.smalltalk_accuracy >= 0.9))
    rows.append(_row("old dev set: wrong direct answers", len(report.wrong_answers), "queries",
                     "", None))
    held = evaluate_held_out(shipped)
    rows.append(_row(f"held-out Kazakh suffix chains (n={held.total}): first",
                     100 * held.top1 / held.total, "%", "", None))
    rows.append(_row("held-out Kazakh suffix chains: right one suggested (top-3)",
                     100 * held.top3 / held.total, "%", "", None))
    rows.append(_row("held-out Kazakh suffix chains: wrong direct answers", held.wrong_answers,
                     "queries", "<= 3", held.wrong_answers <= 3))

    queries = [(item.query, item.ui) for item in items]
    queries += [(item.query, item.lang) for item in load_heldout("dev")]
    timings = _latencies_ms(shipped, queries, rounds=5)
    p99 = _percentile(timings, 99)
    rows.append(_row(f"shipped ({len(faq)} entries) build", 1000 * build_s, "ms", "", True))
    rows.append(_row("shipped match p50", _percentile(timings, 50), "ms", "", True))
    rows.append(_row("shipped match p99", p99, "ms", "<= 20", p99 <= 20.0,
                     "issue #12 asks <= 2 ms: not met (Python analysers per message)"))
    rows.append(_row("shipped index memory", memory_mib, "MiB", "", True))

    synthetic = synthetic_faq()
    big, big_build_s, big_memory_mib = _measure_build(
        lambda: FaqSearch.build(synthetic, smalltalk, situations=situations), repeats=1
    )
    rng = random.Random(SEED)
    big_queries = []
    for _ in range(150):
        entry = rng.choice(synthetic)
        lang = rng.choice(LANGS)
        big_queries.append((_typo(rng.choice(entry.questions[lang]), rng), rng.choice(LANGS)))
    big_queries += rng.sample(queries, 100)  # off-topic and real-world queries too
    big_timings = _latencies_ms(big, big_queries, rounds=3)
    big_p99 = _percentile(big_timings, 99)
    rows.append(_row(f"synthetic ({len(synthetic)} entries) build", big_build_s, "s", "<= 30",
                     big_build_s <= 30.0, "issue #12 asks <= 2 s: not met (scikit-learn "
                     "vocabularies over ~200,000 variants, analysed in Python)"))
    rows.append(_row("synthetic match p50", _percentile(big_timings, 50), "ms", "", True))
    rows.append(_row("synthetic match p99", big_p99, "ms", "<= 500", big_p99 <= 500.0,
                     "issue #12 asks <= 25 ms: not met"))
    rows.append(_row("synthetic index memory", big_memory_mib, "MiB", "", True))
    return rows


def main() -> None:
    import argparse

    from bench.__main__ import print_table

    parser = argparse.ArgumentParser(description="FAQ search benchmark")
    parser.add_argument("--dev-only", action="store_true",
                        help="leave the sealed held-out sets closed (while tuning)")
    print_table(run(sealed=not parser.parse_args().dev_only))


if __name__ == "__main__":
    main()
