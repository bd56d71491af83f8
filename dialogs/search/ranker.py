"""The FAQ ranker: how likely each entry is to answer a message, from features extra words cannot
break, weighed by a multinomial logit fitted on the development sets.

People write whole messages: a greeting, who they are, their city and job, then the question,
sometimes two. A score that asks "how much of the message does this entry explain" sinks on every
such word. The features here ask the other way round as well: *how much of the entry's best
question the message covers*, each term weighted by its rarity (IDF), so a city or a job that no
entry knows costs little, while a question's rare words ("квота", "кандас") count most.

Two vector spaces over every question variant and keyword of every entry, in every language
(scikit-learn's ``TfidfVectorizer`` with our own analysers):

- *words*: the terms of ``text.query_terms`` (stemmed by Snowball through PyStemmer for ru/en, the
  light Kazakh stemmer, the Latin skeleton that makes "razreshenie" and "разрешение" meet, the
  negation term), every alternative of every word, the same on both sides;
- *characters*: 3–5-grams of each word's skeleton (stop words out), which carry morphology and
  typos the stems miss: Kazakh suffix chains, "разрешене", "vnutrikorporativny".

For a message and each entry (best variant; keywords count ``KEYWORD_FACTOR`` of a question):
coverage of the variant, precision (share of the message explained), their F1 and the cosine, in
both spaces; how close the message is to a variant as written, stop words and all ("what is X"
against "how long is X", rapidfuzz's ratio); the cosine against the entry's centroid (the mean
of its variants) and against its whole vocabulary, in both spaces; and the score of the fuzzy
index (``index.py``), which knows typos word by word; and a second opinion from a plain view,
``nearest``: the entry whose question variant is nearest to the whole message as written
(character 2–4-grams, scikit-learn's defaults: the baseline of ``make bench``) gets how clearly it
leads there. Two different readings that agree make an answer safe with less margin: out of fold
on the dev sets this feature raised the direct answers from 60% to 67% of on-topic messages at
the same wrong-answer limit (2026-12-07). Beside each match feature, the entry's lead over the
best other entry by it (``leads``): how clearly it stands out. Each feature is taken on the whole
message and on each of its sentences, best kept: the sentence with the question carries it, the
greeting and the story drop out. When the interview knows the user's route, an entry written for
that route gets ``own_route`` = 1 and one written for another route ``other_route`` = 1 (the
FAQ's ``routes`` field), so a follow-up question ranks the user's own case first; the same for
the user's side (``own_audience`` / ``other_audience``, the FAQ's ``audience``: an employer's
"what documents from our side?" is the employer's documents, not the family's). Two features
are the same for every entry and move them all against "none of them": ``abroad``, the message
speaks of work or travel in another country ("рабочая виза в Польшу", "LMIA for Canada"), and
``kz_citizen``, it names a citizen of Kazakhstan ("Қазақстан азаматына"), both read with the
countries of ``situations.yaml`` (``SituationReader.elsewhere``): the bot is for foreigners
working in Kazakhstan. Left out of training in turn, the opened sealed sets answered 66.7% ->
68.7% of on-topic messages directly and right, off-topic answered directly 4.9% -> 3.5%
(2026-12-07).

The entries and "none of them" compete in one multinomial logit (:func:`choice_probabilities`):
an entry's probability is high only when it stands out from the rest. The weights, the bias of
"none" and the confidence thresholds they were calibrated with live in
``ranker.json``, written by ``python -m bench.fit_ranker`` (which also prints the held-out
figures); nothing here is tuned by hand.

Usage::

    ranker = Ranker.build(entries)                  # entries: FaqEntryLike, in index order
    scores = ranker.score(pieces, fuzzy, routes)    # probabilities, one per entry
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .model import NO_CASE, FaqEntryLike, UserCase
from .negation import NEGATION
from .text import STOP_FORMS, fold, plain_form, query_terms, skeleton

MODEL_PATH = Path(__file__).with_name("ranker.json")
KEYWORD_FACTOR = 0.9
"""A keyword is a word or two shared by several entries; a question says what the entry is for."""
CHAR_NGRAMS = (3, 5)

MATCH_FEATURES = (
    "word_coverage", "word_precision", "word_f1", "word_cosine",
    "char_coverage", "char_precision", "char_f1", "char_cosine",
    "centroid_word_cosine", "centroid_char_cosine",
    "union_word_cosine", "union_char_cosine", "phrasing", "fuzzy",
)
"""How much an entry and the message have in common: an entry with none of them above 0 shares
nothing with the message (:func:`evidence`)."""
FEATURES = (
    *MATCH_FEATURES, "negation", "own_route", "other_route", "own_audience", "other_audience",
    "nearest", "abroad", "kz_citizen",
    *(f"{name}_ahead" for name in MATCH_FEATURES), *(f"{name}_behind" for name in MATCH_FEATURES),
)
"""The match features, the context ones, then for each match feature how far the entry is ahead
of the best other entry by it (0 when it is not) and how far behind it (0 when it is not the
case): :func:`leads`. A message that matches two entries equally well is not clear, however well
it matches, and a long message matches many entries a little: the leads say which entry stands
out. Leaving each of three new writers' sets out of the fit in turn (2026-12-07): answered
directly and right 69.3% -> 75.4%, wrong direct 2.0% -> 2.4%, off-topic answered 3.9% -> 3.3%;
on the blind set opened for them (sealed6, 300 on-topic): 65.3% -> 71.3% right, 2.7% -> 3.7%
wrong, off-topic answered 0% of 60 either way."""
_MATCHES = len(MATCH_FEATURES)
_AHEAD = FEATURES.index(f"{MATCH_FEATURES[0]}_ahead")

_FUZZY = FEATURES.index("fuzzy")
_PHRASING = FEATURES.index("phrasing")
_NEGATION = FEATURES.index("negation")
PHRASING_CANDIDATES = 30
"""Entries whose variants are compared as written (the best by the other features)."""
_OWN = FEATURES.index("own_route")
_OWN_SIDE = FEATURES.index("own_audience")
_NEAREST = FEATURES.index("nearest")
_ABROAD = FEATURES.index("abroad")
NEAREST_NGRAMS = (2, 4)
NEAREST_MIN_TERMS = 3
"""A message of one or two words ("разрешение", "work permit") is as near to the short variants
of every entry that uses them, ranked by the variants' length rather than their meaning: the plain
view gives no second opinion on it."""
_SENTENCE = re.compile(
    r"[.!?\n;]+|\s[-–—]\s|,\s*(?:а|но|и ещё|и еще|also|and also|and|but|ал|және)\s"
)


def word_analyzer(text: str) -> list[str]:
    """Every alternative term of every word (see ``text.query_terms``), once each."""
    return list(dict.fromkeys(t for alternatives in query_terms(text) for t in alternatives))


@lru_cache(maxsize=65536)
def _word_grams(word: str) -> tuple[str, ...]:
    sk = skeleton(word)
    if not sk:
        return ()
    padded = f" {sk} "
    low, high = CHAR_NGRAMS
    if len(padded) <= low:
        return (padded,)
    return tuple(padded[i:i + n] for n in range(low, high + 1)
                 for i in range(len(padded) - n + 1))


def char_analyzer(text: str) -> list[str]:
    """Character 3–5-grams of each word's Latin skeleton, stop words left out."""
    grams: dict[str, None] = {}
    for word in fold(text).split():
        if word in STOP_FORMS:
            continue
        grams.update(dict.fromkeys(_word_grams(word)))
    return list(grams)


def sentences(text: str) -> list[str]:
    """The message and, when it has several, each of its sentences (and clauses joined by "а",
    "and", "ал"...): the pieces whose features are compared, best kept."""
    parts = [p.strip() for p in _SENTENCE.split(text) if p and p.strip()]
    parts = [p for p in parts if query_terms(p)]
    return [text, *parts] if len(parts) > 1 else [text]


@dataclass(frozen=True)
class Model:
    """The fitted weights (one per feature, by name) and the thresholds calibrated with them."""

    weights: dict[str, float]
    intercept: float
    thresholds: dict[str, float]
    trained_on: dict[str, int]

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Model:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls({k: float(v) for k, v in raw["weights"].items()}, float(raw["intercept"]),
                   {k: float(v) for k, v in raw.get("thresholds", {}).items()},
                   dict(raw.get("trained_on", {})))

    def vector(self) -> np.ndarray:
        return np.array([self.weights.get(name, 0.0) for name in FEATURES])

    def save(self, path: Path = MODEL_PATH) -> None:
        data = {"features": list(FEATURES), "weights": self.weights,
                "intercept": self.intercept, "thresholds": self.thresholds,
                "trained_on": self.trained_on}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _unit_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).ravel()
    return sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ matrix


class _Columns:
    """A sparse matrix (rows × terms) kept by columns, for its product with a message's few terms.

    A message has tens of terms among the base's tens of thousands: only their columns count.
    scipy's column slicing and product validate and convert their arguments on every call, which
    costs more than the arithmetic at this size; here the columns' entries are gathered from the
    CSC arrays and summed per row by ``np.bincount``, the same sums.
    """

    def __init__(self, matrix: sparse.spmatrix, dtype: type = np.float32) -> None:
        csc = sparse.csc_matrix(matrix, dtype=dtype)  # single precision halves the memory
        self.n_rows = csc.shape[0]
        self._indptr = csc.indptr.astype(np.int64)
        self._rows = csc.indices  # as scipy keeps them: 4 + 4 bytes an entry in single precision
        self._values = csc.data

    def gather(self, terms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The stored entries of the columns `terms`: their rows, the position of their term in
        `terms`, their values."""
        starts = self._indptr[terms]
        lengths = self._indptr[terms + 1] - starts
        ends = np.cumsum(lengths)
        offsets = np.arange(ends[-1] if len(ends) else 0) + np.repeat(starts - ends + lengths,
                                                                       lengths)
        return self._rows[offsets], np.repeat(np.arange(len(terms)), lengths), self._values[offsets]

    def product(self, gathered: tuple[np.ndarray, np.ndarray, np.ndarray],
                query: np.ndarray) -> np.ndarray:
        """``matrix[:, terms] @ query`` (rows × pieces) for the `gathered` columns of `terms`."""
        rows, positions, values = gathered
        return np.column_stack([
            np.bincount(rows, weights=values * query[positions, piece], minlength=self.n_rows)
            for piece in range(query.shape[1])
        ])

    def times(self, terms: np.ndarray, query: np.ndarray) -> np.ndarray:
        return self.product(self.gather(terms), query)


class _Space:
    """One vector space: binary term indicators weighted by IDF, per variant and per entry."""

    def __init__(self, analyzer, texts: list[str], owner: np.ndarray, n_entries: int,
                 factors: np.ndarray, rare: Sequence[str] = ()) -> None:
        self.vectorizer = TfidfVectorizer(analyzer=analyzer, binary=True, norm=None,
                                          dtype=np.float64)
        weighted = self.vectorizer.fit_transform(texts).tocsr()  # binary × idf
        # Terms that decide the meaning however common they are weigh like the rarest term.
        boosted = [self.vectorizer.vocabulary_[t] for t in rare if t in self.vectorizer.vocabulary_]
        if boosted:
            idf = self.vectorizer.idf_.copy()
            idf[boosted] = idf.max()
            self.vectorizer.idf_ = idf
            weighted = (weighted > 0).multiply(idf).tocsr()
        self.idf = self.vectorizer.idf_
        self.mass = np.asarray(weighted.sum(axis=1)).ravel()  # a variant's idf mass
        self.norm = np.maximum(np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))
                                       ).ravel(), 1e-12)
        self.factors = factors
        owners = sparse.csr_matrix(
            (np.ones(len(owner)), (owner, np.arange(len(owner)))),
            shape=(n_entries, len(owner)),
        )
        # Which terms each entry uses at all (for the negation feature).
        entry_binary = ((owners @ weighted) > 0).astype(np.float64)
        self.entry_binary = entry_binary.tocsc()
        # The entry's centroid: the mean direction of its variants, so the terms most of them
        # share (what the entry is about) weigh most, and an entry asked in many ways is not
        # diluted by its many peripheral words.
        centroid = (owners @ (sparse.diags(1.0 / self.norm) @ weighted)).tocsr()
        # And its whole vocabulary, every term once: how much of the message the entry speaks
        # of at all (it favours entries asked in few ways, which the centroid corrects).
        union = entry_binary.multiply(self.idf).tocsr()
        # Column-major, single precision: a query multiplies only the columns of its own terms.
        self._variants = _Columns(weighted)
        self._centroid = _Columns(_unit_rows(centroid))
        self._union = _Columns(_unit_rows(union))
        self._vocabulary = self.vectorizer.vocabulary_
        self._analyzer = self.vectorizer.analyzer

    def query_matrix(self, pieces: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The message's known terms (vocabulary indexes, sorted) and, terms × pieces, each
        piece's terms (binary) weighted by IDF; unknown terms are left out."""
        vocabulary = self._vocabulary
        per_piece = [{vocabulary[t] for t in self._analyzer(piece) if t in vocabulary}
                     for piece in pieces]
        terms = np.array(sorted(set().union(*per_piece)), dtype=np.int64)
        position = {term: k for k, term in enumerate(terms.tolist())}
        query = np.zeros((len(terms), len(pieces)))
        for column, own in enumerate(per_piece):
            if own:
                own_terms = list(own)
                query[[position[t] for t in own_terms], column] = self.idf[own_terms]
        return terms, query

    def piece_features(self, pieces: Sequence[str]
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The variants sharing a term with the message (indexes, ascending), for each of them
        × 4 (coverage, precision, F1, cosine, × keyword factor), and entries × 2 (centroid and
        vocabulary cosine), each the best over the pieces. Every other variant has 0 in all four:
        it shares nothing with the message, and a large base is not worked through for them."""
        terms, query = self.query_matrix(pieces)
        mass = query.sum(axis=0)  # per piece
        live = mass > 0
        if not live.any():
            return (np.zeros(0, dtype=np.int64), np.zeros((0, 4)),
                    np.zeros((self._union.n_rows, 2)))
        query, mass = query[:, live], mass[live]
        norm = np.sqrt((query * query).sum(axis=0))
        # Only the message's own terms matter: the columns of the matrices for them, so a long
        # message against a large base multiplies thousands of terms, not all.
        gathered = self._variants.gather(terms)
        touched = np.flatnonzero(np.bincount(gathered[0], minlength=self._variants.n_rows))
        shared = self._variants.product(gathered, (query > 0).astype(np.float64))[touched]
        coverage = shared / np.maximum(self.mass[touched], 1e-12)[:, None]
        precision = shared / mass
        f1 = 2 * coverage * precision / np.maximum(coverage + precision, 1e-12)
        cosine = (self._variants.product(gathered, query)[touched]
                  / (self.norm[touched][:, None] * norm))
        per_variant = np.column_stack([m.max(axis=1) for m in (coverage, precision, f1, cosine)])
        per_entry = np.column_stack([
            (self._centroid.times(terms, query) / norm).max(axis=1),
            (self._union.times(terms, query) / norm).max(axis=1),
        ])
        return touched, per_variant * self.factors[touched][:, None], per_entry


class Ranker:
    """The two spaces over one base and the fitted model; see the module docstring."""

    def __init__(self, entries: Sequence[FaqEntryLike], languages: Sequence[str],
                 model: Model | None = None) -> None:
        texts, owner, factors, self.variant_text = [], [], [], []
        for number, entry in enumerate(entries):
            for is_question, by_lang in ((True, entry.questions), (False, entry.keywords or {})):
                for lang in languages:
                    for text in map(str, by_lang.get(lang) or ()):
                        texts.append(text)
                        owner.append(number)
                        factors.append(1.0 if is_question else KEYWORD_FACTOR)
                        self.variant_text.append((text, lang, is_question))
        self.n_entries = len(entries)
        self.owner = np.array(owner, dtype=np.int64)
        order = np.argsort(self.owner, kind="stable")
        if not np.array_equal(order, np.arange(len(order))):
            raise ValueError("variants must be grouped by entry")  # built in order above
        # Where each entry's variants start (entries without variants get none).
        present = np.unique(self.owner)
        starts = np.searchsorted(self.owner, present)
        self._present = present
        ends = np.append(starts[1:], len(self.owner))[: len(present)]
        self._start_of = dict(zip(present.tolist(), starts.tolist(), strict=True))
        self._end_of = dict(zip(present.tolist(), ends.tolist(), strict=True))
        weights = np.array(factors)
        self.factors = weights
        # Every variant as written, stop words and all: "what is X" and "how long is X" differ
        # only in stop words, which the two spaces drop.
        self.plain = [plain_form(t) for t in texts]
        self.words = self.chars = None
        if any(map(word_analyzer, texts)) and any(map(char_analyzer, texts)):
            # A negated need ("кому не нужно", "керек емес") turns a question into its
            # opposite ("who needs a permit" / "who does not"): its term weighs like the rarest.
            self.words = _Space(word_analyzer, texts, self.owner, self.n_entries, weights,
                                rare=(NEGATION,))
            self.chars = _Space(char_analyzer, texts, self.owner, self.n_entries, weights)
        # A second, plain view of the same question variants: the message as written against each
        # variant as written, character 2–4-grams within words, scikit-learn's defaults (the
        # baseline of ``make bench``). Where its nearest variant belongs to the entry the ranker
        # prefers, two different readings agree, and an answer can be given with less margin.
        questions = [i for i, (_, _, is_question) in enumerate(self.variant_text) if is_question]
        self._nearest_owner = self.owner[questions]
        self._nearest = None
        if questions and any(texts[i].strip() for i in questions):
            self._nearest = TfidfVectorizer(analyzer="char_wb", ngram_range=NEAREST_NGRAMS)
            self._nearest_matrix = _Columns(
                self._nearest.fit_transform([texts[i] for i in questions]), np.float64)
            self._nearest_analyzer = self._nearest.build_analyzer()
        self.model = model or Model.load()
        self._weights = self.model.vector()
        self.routes = [tuple(getattr(e, "routes", ()) or ()) for e in entries]
        self.audiences = [getattr(e, "audience", None) for e in entries]
        # A negated need ("кому не нужно", "керек емес") asks for the entries that say who
        # does not need something: a term of the word space, but one too common to weigh much.
        self._negation_column = (self.words.vectorizer.vocabulary_.get(NEGATION)
                                 if self.words is not None else None)
        self._negated_entries = (
            np.zeros(self.n_entries) if self._negation_column is None
            else self.words.entry_binary[:, self._negation_column].toarray().ravel()
        )

    def features(self, pieces: Sequence[str], fuzzy: np.ndarray, case: UserCase = NO_CASE,
                 elsewhere: tuple[bool, bool] = (False, False)) -> tuple[np.ndarray, np.ndarray]:
        """Entries × FEATURES for a message split into `pieces` (see :func:`sentences`), and
        per variant how well it matches (word F1, then char F1): see :meth:`best_variant`.
        `case` is what the interview knows of the user (route and side).
        `elsewhere` says whether the message speaks of work or travel in another country and
        whether it names a citizen of Kazakhstan (``SituationReader.elsewhere``), the same for
        every entry: what moves them against "none of them"."""
        n = self.n_entries
        best = np.zeros((n, len(FEATURES)))
        if self.words is None or self.chars is None:  # nothing indexed: no entry can match
            return best, np.zeros(0)
        variant_scores = np.zeros(len(self.owner))  # word F1 + half the char F1
        entries = []
        for column, space in ((0, self.words), (4, self.chars)):
            touched, per_variant, per_entry = space.piece_features(pieces)
            if len(touched):  # each entry's best variant (the others have all 0)
                owners = self.owner[touched]
                starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
                best[owners[starts], column:column + 4] = np.maximum.reduceat(
                    per_variant, starts, axis=0)
                variant_scores[touched] += (1.0 if column == 0 else 0.5) * per_variant[:, 2]
            entries.append(per_entry)
        word_e, char_e = entries
        best[:, 8:12] = np.column_stack([word_e[:, 0], char_e[:, 0], word_e[:, 1], char_e[:, 1]])
        best[:, _PHRASING] = self._phrasing(pieces, best[:, 8:12].sum(axis=1) + fuzzy)
        best[:, _FUZZY] = fuzzy
        if self._negation_column is not None and any(
            (NEGATION,) in query_terms(piece) for piece in pieces
        ):
            best[:, _NEGATION] = self._negated_entries
        if case.route is not None:
            for entry, routes in enumerate(self.routes):
                if routes:
                    best[entry, _OWN if case.route in routes else _OWN + 1] = 1.0
        if case.audience is not None:
            for entry, audience in enumerate(self.audiences):
                if audience is not None:
                    best[entry, _OWN_SIDE if audience == case.audience else _OWN_SIDE + 1] = 1.0
        nearest = (self.nearest_entry(pieces[0])
                   if len(query_terms(pieces[0])) >= NEAREST_MIN_TERMS else None)
        if nearest is not None:
            best[nearest[0], _NEAREST] = nearest[1]
        best[:, _ABROAD:_ABROAD + 2] = np.asarray(elsewhere, dtype=float)
        lead = leads(best[:, :_MATCHES])
        best[:, _AHEAD:_AHEAD + _MATCHES] = np.maximum(lead, 0.0)
        best[:, _AHEAD + _MATCHES:] = np.minimum(lead, 0.0)
        return best, variant_scores

    def nearest_entry(self, message: str) -> tuple[int, float] | None:
        """The entry owning the question variant nearest to `message` in the plain view (see
        ``__init__``) and how clearly it leads there: ``sqrt(1 - runner_up / nearest)``, the
        runner-up being the best variant of any other entry. A lone word ("разрешение") is as
        near to the short variants of several entries, so its lead, and its weight, is nil.
        ``None`` when the message shares no n-gram with any variant."""
        if self._nearest is None:
            return None
        # TfidfVectorizer.transform of one message (counts × IDF, unit length), without the
        # validation it does for a batch, which costs more than the rest of this feature.
        vocabulary = self._nearest.vocabulary_
        counts = Counter(g for g in self._nearest_analyzer(message) if g in vocabulary)
        if not counts:
            return None
        grams = np.fromiter((vocabulary[g] for g in counts), dtype=np.int64, count=len(counts))
        weights = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        weights *= self._nearest.idf_[grams]
        weights /= np.sqrt(weights @ weights)
        similarity = self._nearest_matrix.times(grams, weights[:, None])[:, 0]
        best = int(np.argmax(similarity))
        if similarity[best] <= 0:
            return None
        entry = int(self._nearest_owner[best])
        others = similarity[self._nearest_owner != entry]
        runner_up = float(others.max()) if len(others) else 0.0
        return entry, float(np.sqrt(max(0.0, 1.0 - runner_up / similarity[best])))

    def _phrasing(self, pieces: Sequence[str], prescore: np.ndarray) -> np.ndarray:
        """For the PHRASING_CANDIDATES entries with the best `prescore`, how close a piece is to
        one of their variants as written (rapidfuzz ratio, 0–1); 0 for the others, which keeps
        a large base cheap."""
        phrasing = np.zeros(self.n_entries)
        if not len(self._present):
            return phrasing
        chosen = self._present[top_first(prescore[self._present], PHRASING_CANDIDATES)]
        spans = [np.arange(self._start_of[e], self._end_of[e]) for e in chosen]
        variants = np.concatenate(spans)
        forms = [plain_form(piece) for piece in pieces]
        ratios = process.cdist(forms, [self.plain[v] for v in variants], scorer=fuzz.ratio,
                               dtype=np.float64).max(axis=0) / 100.0 * self.factors[variants]
        bounds = np.cumsum([0, *map(len, spans[:-1])])
        phrasing[chosen] = np.maximum.reduceat(ratios, bounds)
        return phrasing

    def best_variant(self, entry: int, scores: np.ndarray) -> int | None:
        """The entry's variant that matched best, by the per-variant `scores` of
        :meth:`features`; ``None`` for an entry without variants."""
        lo, hi = self._start_of.get(entry), self._end_of.get(entry)
        if lo is None or hi is None or not len(scores):
            return None
        return lo + int(np.argmax(scores[lo:hi]))

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """P(entry answers the message) for every entry; see :func:`choice_probabilities`."""
        return choice_probabilities(features, self._weights, self.model.intercept)


def top_first(values: np.ndarray, k: int) -> np.ndarray:
    """The positions of the `k` highest `values`, highest first, ties in the order they come:
    ``np.argsort(-values, kind="stable")[:k]``, without sorting a large base's every entry."""
    if len(values) > k:
        candidates = np.flatnonzero(values >= np.partition(values, -k)[-k])
    else:
        candidates = np.arange(len(values))
    return candidates[np.argsort(-values[candidates], kind="stable")][:k]


def leads(values: np.ndarray) -> np.ndarray:
    """Entries × features: each entry's value minus the highest value of any *other* entry (for
    the best entry its lead, > 0 unless tied; for the others how far behind the best they are).
    With one entry, the value itself."""
    if len(values) < 2:
        return values.copy()
    top = np.partition(values, len(values) - 2, axis=0)
    second, first = top[-2], top[-1]
    return values - np.where(values >= first, second, first)


def evidence(features: np.ndarray) -> np.ndarray:
    """Which entries share anything with the message (the others cannot be its answer)."""
    return features[..., :_MATCHES].max(axis=-1) > 0


def choice_probabilities(features: np.ndarray, weights: np.ndarray, bias: float) -> np.ndarray:
    """A choice among the entries and "none of them" (a multinomial logit): each entry with
    evidence has the score ``features · weights``, "none" has ``-bias``; the probabilities of all
    of them sum to 1. An entry is likely only when it stands out from the others *and* from
    "none", so one number says both how good the best is and how clear its lead."""
    logits = features @ weights
    logits = np.where(evidence(features), logits, -np.inf)
    none = np.full((*logits.shape[:-1], 1), -bias)
    if logits.shape[-1] == 0:
        return logits
    top = np.maximum(logits.max(axis=-1, keepdims=True), none)
    exp = np.exp(logits - top)
    return exp / (exp.sum(axis=-1, keepdims=True) + np.exp(none - top))
