"""Fit the FAQ ranker's weights and calibrate the confidence thresholds; write ``ranker.json``.

Trained on every set that has been opened: the old dev set (``tests/search/devset_*.yaml``,
small talk left out), the blind held-out *dev* sets (``tests/search/heldout/dev_*.yaml``), the
blind off-topic dev sets (``devoff_*.yaml``: 150 messages close to the domain but outside it, so
that "off-topic answered directly" is calibrated on more than a handful) and the sealed sets
already opened for the figures of an earlier change (``OPENED``: 2,130 messages by six more
writers). A sealed set not yet opened is never read here.

1. Every (message, entry) pair is a row of ``ranker.FEATURES``. The entries and "none of them"
   compete in a multinomial logit (``ranker.choice_probabilities``); its weights maximise the
   likelihood of the right choice (an entry that answers the message, either question of two, or
   "none" for an off-topic one) with an L2 penalty, by L-BFGS (SciPy).
2. Thresholds are calibrated on *out-of-fold* probabilities (5 folds grouped by message, so no
   message is scored by a model that saw it): the answer threshold and margin that answer the
   most messages directly with at most ``MAX_WRONG`` wrong direct answers among on-topic messages
   and ``MAX_OFFTOPIC`` off-topic ones answered; then the floor below which nothing is offered.
3. It prints, per source, what a user would get out of fold, and the same with each held-out
   language left out of training entirely (the closest the dev sets come to new users).

Usage::

    .venv/bin/python -m bench.fit_ranker           # fit, print, write dialogs/search/ranker.json
    .venv/bin/python -m bench.fit_ranker --dry-run # fit and print only
    .venv/bin/python -m bench.fit_ranker --without own_audience --without other_audience
                                                   # an ablation: those features held at 0
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from sklearn.model_selection import GroupKFold

from dialogs.search import FaqSearch
from dialogs.search.devset import load_devset
from dialogs.search.heldout import load_heldout
from dialogs.search.model import NO_CASE, UserCase
from dialogs.search.ranker import FEATURES, Model, choice_probabilities, evidence
from knowledge.loader import load_knowledge

# The issue's limits are 3% wrong direct answers and 5% off-topic answered, on new users' messages.
# Out of fold on the dev sets the rates come out about a point lower than on sets written later by
# new writers (with the plain-view "nearest" feature: 1.9% on dev, 2.7–4.3% on the two opened
# sealed sets at the 3%/5% limits, 2026-12-07), so the calibration aims a point below them.
MAX_WRONG = 0.02
MAX_OFFTOPIC = 0.04
L2 = 0.01  # chosen out of fold among 0.01, 0.1, 1 and 3 (smaller is better on these sets)
FOUND_WEIGHT = 6.0  # among 3, 6 and 10 out of fold: 3 left 10% of dev without an answer, 10 offered
# buttons to half the off-topic messages
CASE_FEATURES = {"own_route", "other_route", "own_audience", "other_audience"}
LOWER = {"negation": 0.0, "own_route": 0.0, "own_audience": 0.0}
CASE_L2_FACTOR = 10.0
"""How much more the case features are penalised than the others. Each opened set left out in
turn (2026-12-08, with the side features): 100 -> 10 took the follow-ups from 70.6% to 75.0%
answered right and 6.1% to 5.0% wrong (180), all on-topic from 73.4% to 74.8% (wrong 2.3% ->
2.2%); 3 gave 73.9% / 5.0% on the follow-ups and 73.6% in all."""
SMALLTALK_KINDS = {"smalltalk", "smalltalk_word"}
OPENED = ("sealed", "sealed2", "sealed3", "sealed4", "sealed5", "sealed6")
"""Sealed sets opened once for an earlier change's figures, training data since. Leaving each out
in turn (trained on the rest, thresholds out of fold on the rest) against training on the dev sets
alone, 2026-12-07: right entry first 84.7/83.7/83.7% -> 86.3/86.0/83.0%, answered directly and
right 63.0/59.3/59.7% -> 63.0/61.3/59.3%, wrong direct 3.0/2.7/2.7% -> 2.0/3.0/2.7%. sealed5 (opened
for the "abroad" features) joined them when the lead features were fitted (``ranker.FEATURES``),
sealed6 (opened for the lead features) when the side features were (2026-12-08)."""


@dataclass(frozen=True)
class Example:
    source: str  # "old-dev", "dev_kk", ...
    query: str
    wanted: frozenset[str]
    case: UserCase = NO_CASE
    kind: str = ""  # the held-out kind: long, short, offtopic, case (follow-up after the interview)


def examples() -> list[Example]:
    found = [Example("old-dev", item.query, frozenset([item.expect] if item.expect else []))
             for item in load_devset() if item.kind not in SMALLTALK_KINDS]
    found += [Example(f"dev_{item.lang}", item.query, frozenset(item.expect + item.also),
                      item.case, item.kind) for item in load_heldout("dev")]
    found += [Example(f"devoff_{item.lang}", item.query, frozenset())
              for item in load_heldout("devoff")]
    for split in OPENED:
        found += [Example(f"{split}_{item.lang}", item.query,
                          frozenset(item.expect + item.also), item.case, item.kind)
                  for item in load_heldout(split)]
    return found


def feature_rows(search: FaqSearch, found: list[Example]) -> tuple[np.ndarray, np.ndarray]:
    """X: (messages × entries) × features; y: 1 where the entry answers the message."""
    ids = np.array(search.entry_ids)
    xs, ys = [], []
    for example in found:
        xs.append(search.features(example.query, example.case))
        ys.append(np.isin(ids, list(example.wanted)).astype(int))
    return np.stack(xs), np.stack(ys)


@dataclass(frozen=True)
class Fitted:
    weights: np.ndarray
    bias: float

    def predict(self, x: np.ndarray) -> np.ndarray:
        return choice_probabilities(x, self.weights, self.bias)


def fit(x: np.ndarray, y: np.ndarray) -> Fitted:
    """Maximum likelihood of the right choice (an answering entry, or "none" for off-topic)
    with an L2 penalty ``L2`` on the weights, by L-BFGS."""
    mask = evidence(x)
    wanted = (y == 1) & mask
    on = wanted.any(axis=1)
    k = x.shape[-1]
    # The case features (route, side) are seen only on the few follow-up messages: a stronger
    # penalty keeps them a nudge between close entries rather than a verdict.
    penalty = np.array([L2 * (CASE_L2_FACTOR if name in CASE_FEATURES else 1.0)
                        for name in FEATURES])

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, bias = params[:k], params[k]
        p = choice_probabilities(x, w, bias)  # messages × entries
        p_none = 1.0 - p.sum(axis=1)
        p_wanted = np.where(on, (p * wanted).sum(axis=1), p_none)
        value = -np.log(np.maximum(p_wanted, 1e-300)).sum() + w @ (penalty * w)
        # d log P(chosen) / d logit_e = [e chosen] p_e / P(chosen) - p_e; "none" has logit -bias.
        share = np.where(wanted & on[:, None], p / np.maximum(p_wanted, 1e-300)[:, None], 0.0)
        d_logits = share - p
        d_none = np.where(on, 0.0, 1.0) - p_none
        shown = np.where(mask[..., None], x, 0.0)
        grad_w = -np.einsum("qe,qef->f", d_logits, shown) + 2 * penalty * w
        grad_bias = (d_none).sum()  # d(-log) / d bias = -d_none * d(-bias)/d bias
        return value, np.append(grad_w, grad_bias)

    start = np.zeros(k + 1)
    # Lower bounds (LOWER): agreeing on a negation ("who does NOT need") or on the user's own
    # route or side never counts against an entry. The dev sets hold few negated contrasts, and
    # unbounded the fit gave the negation a small negative weight (-0.17); bounded at 0 the
    # out-of-fold figures are the same (2026-12-06).
    bounds = [(LOWER.get(name), None) for name in FEATURES]
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[*bounds, (None, None)])
    return Fitted(result.x[:k], float(result.x[k]))


def out_of_fold(x: np.ndarray, y: np.ndarray, folds: int = 5) -> np.ndarray:
    probabilities = np.zeros(y.shape)
    for train, test in GroupKFold(n_splits=folds).split(x, groups=np.arange(len(x))):
        model = fit(x[train], y[train])
        probabilities[test] = model.predict(x[test])
    return probabilities


def outcomes(p: np.ndarray, y: np.ndarray, answer: float, margin: float, floor: float):
    """Per message: 'right', 'wrong', 'suggested', 'missed' (suggest without it), 'none'."""
    order = np.argsort(-p, axis=1)
    top = np.take_along_axis(p, order, axis=1)
    best, runner = top[:, 0], top[:, 1]
    right_top = np.take_along_axis(y, order[:, :1], axis=1)[:, 0] == 1
    in_three = np.take_along_axis(y, order[:, :3], axis=1).max(axis=1) == 1
    direct = (best >= answer) & (best - runner >= margin)
    shown = best >= floor
    result = np.where(direct, np.where(right_top, "right", "wrong"),
                      np.where(shown, np.where(in_three, "suggested", "missed"), "none"))
    return result, direct, shown


def calibrate(p: np.ndarray, y: np.ndarray) -> dict[str, float]:
    on = y.max(axis=1) == 1
    grid = np.arange(0.10, 0.99, 0.01)
    best_key, best = None, None
    for answer, margin in itertools.product(grid, np.arange(0.0, 0.5, 0.05)):
        result, direct, _ = outcomes(p, y, answer, margin, 0.0)
        wrong = ((result == "wrong") & on).sum() / max(on.sum(), 1)
        off = (direct & ~on).sum() / max((~on).sum(), 1)
        if wrong > MAX_WRONG or off > MAX_OFFTOPIC:
            continue
        key = ((result == "right") & on).sum()
        if best_key is None or key > best_key:
            best_key, best = key, (answer, margin)
    if best is None:
        raise SystemExit("no thresholds meet the wrong-answer limits")
    answer, margin = best
    best_floor, best_value = 0.0, -1.0
    for floor in np.arange(0.01, answer, 0.01):
        result, _, shown = outcomes(p, y, answer, margin, floor)
        found = np.isin(result, ["right", "suggested"]) & on
        # As rates: an on-topic message left without the right entry weighs FOUND_WEIGHT times
        # an off-topic one offered entries that do not answer it (three needless buttons).
        value = (FOUND_WEIGHT * found.sum() / max(on.sum(), 1)
                 + (~shown & ~on).sum() / max((~on).sum(), 1))
        if value > best_value:
            best_floor, best_value = floor, value
    return {"answer": round(100 * float(answer), 1), "margin": round(100 * float(margin), 1),
            "floor": round(100 * float(best_floor), 1),
            "lead_floor": round(100 * float(best_floor), 1),
            "lead": 0.0}


def report(label: str, p: np.ndarray, y: np.ndarray, th: dict[str, float]) -> None:
    on = y.max(axis=1) == 1
    n_on, n_off = on.sum(), (~on).sum()

    def pct(mask, n):
        return f"{100 * mask.sum() / n:5.1f}%" if n else "   - "

    result, direct, shown = outcomes(p, y, th["answer"] / 100, th["margin"] / 100,
                                     th["floor"] / 100)
    order = np.argsort(-p, axis=1)
    top1 = (np.take_along_axis(y, order[:, :1], axis=1).max(axis=1) == 1) & on
    top3 = (np.take_along_axis(y, order[:, :3], axis=1).max(axis=1) == 1) & on
    print(f"{label:<28} ranking: first {pct(top1, n_on)} among three {pct(top3, n_on)}")
    print(f"{label:<28} on-topic n={n_on:<4} direct right {pct((result == 'right') & on, n_on)}"
          f"  +suggested {pct(np.isin(result, ['right', 'suggested']) & on, n_on)}"
          f"  wrong direct {pct((result == 'wrong') & on, n_on)}"
          f"  none {pct((result == 'none') & on, n_on)}"
          f" | off-topic n={n_off:<3} answered {pct(direct & ~on, n_off)}"
          f" offered {pct(shown & ~direct & ~on, n_off)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="do not write ranker.json")
    parser.add_argument("--without", action="append", default=[], choices=FEATURES,
                        metavar="FEATURE", help="fit with this feature held at 0 (an ablation; "
                        "implies --dry-run)")
    args = parser.parse_args()

    kb = load_knowledge()
    blank = Model({name: 0.0 for name in FEATURES}, 0.0, {}, {})
    search = FaqSearch.for_knowledge(kb, model=blank)
    found = examples()
    x, y = feature_rows(search, found)
    for name in args.without:
        x[..., FEATURES.index(name)] = 0.0
    sources = np.array([e.source for e in found])
    kinds = np.array([e.kind for e in found])

    p = out_of_fold(x, y)
    th = calibrate(p, y)
    print(f"thresholds (out of fold): {th}")
    for source in sorted(set(sources)):
        report(f"out of fold: {source}", p[sources == source], y[sources == source], th)
    held_langs = sorted(s for s in set(sources) if s.startswith("dev_"))
    for source in held_langs:
        mask = sources == source
        model = fit(x[~mask], y[~mask])
        q = model.predict(x[mask])
        report(f"{source} left out of training", q, y[mask], th)
    left_out = np.zeros(y.shape)  # each opened set scored by a model fitted without it
    left_th = {}
    for split in OPENED:  # a whole writer's set left out: the closest to new users
        mask = np.array([s.rsplit("_", 1)[0] == split for s in sources])
        model = fit(x[~mask], y[~mask])
        left_th[split] = calibrate(out_of_fold(x[~mask], y[~mask]), y[~mask])
        left_out[mask] = model.predict(x[mask])
        report(f"{split} left out of training", left_out[mask], y[mask], left_th[split])
    for kind in ("long", "short", "case"):
        tallies = []
        for split in OPENED:
            mask = np.array([s.rsplit("_", 1)[0] == split for s in sources]) & (kinds == kind)
            th_split = left_th[split]
            tallies.append(outcomes(left_out[mask], y[mask], th_split["answer"] / 100,
                                    th_split["margin"] / 100, th_split["floor"] / 100)[0])
        result = np.concatenate(tallies)
        print(f"opened sets left out, {kind:<5} n={len(result):<4} " + "  ".join(
            f"{label} {100 * (result == label).mean():5.1f}%"
            for label in ("right", "suggested", "wrong", "missed", "none")))

    final = fit(x, y)
    weights = {name: round(float(w), 4) for name, w in zip(FEATURES, final.weights, strict=True)}
    print("weights:", weights, "bias:", round(final.bias, 4))
    if not args.dry_run and not args.without:
        trained = {s: int((sources == s).sum()) for s in sorted(set(sources))}
        Model(weights, round(final.bias, 4), th, trained).save()
        print("wrote dialogs/search/ranker.json")


if __name__ == "__main__":
    main()
