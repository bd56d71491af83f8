"""The FAQ index: built once from the knowledge base, then answers free-text questions quickly.

How a query is scored (all string similarity is rapidfuzz's; see ``text.py`` for normalisation):

1. The query becomes terms (folded, stop words out, stemmed, Latin skeleton). Each term is looked
   up fuzzily (``fuzz.ratio``) in the vocabulary of all FAQ terms, so typos, transliteration and
   Kazakh without Kazakh letters find their term whatever language or alphabet it was written in.
2. *Coverage*: for every entry, how much of the query its variants and keywords explain, each query
   term weighted by rarity (IDF: "разрешение" is in many entries, "квота" in few). A word no entry
   knows ("погода") weighs like the rarest word, which is what pushes off-topic questions down.
3. *Closeness*: for the best-covered entries only, ``fuzz.token_set_ratio`` between the query's
   terms and each question variant or keyword, best variant kept: this rewards asking the question
   the way a variant asks it, and names the question the answer is for.
4. Score = mix of both (0–100), best per entry. This *fuzzy score* is one feature of the ranker
   (``ranker.py``), whose probability (0–100) is the score the policy in ``policy.py`` sees.

Three things the words alone would get wrong:

- a negated need ("кому не нужно", "керек емес", "doesn't need") is one term of its own on both
  sides (``negation.py``), so "who does not need a permit" reaches the exemption entries;
- a Kazakh root with suffixes the base never spells ("ресейденмін") also counts as its root
  term when that term starts the word (``Tuning.stem_min``);
- a word that is a small-talk phrase on its own ("помощь", "нет", "жоқ") weighs little inside a
  longer message: "помощь консультанта" is about the consultant.

If the query finds nothing the policy would answer as typed, it is retried as if typed on the
other keyboard layout ("rdjnf" → "квота"). Small talk is matched separately on the whole message
(stop words kept), and wins only when the message IS small talk: the whole of it, or a phrase
plus filler words no FAQ entry knows ("ну как дела"), never a phrase next to a domain word
("нет регистрации").

Usage::

    search = FaqSearch.build(kb.faq, kb.smalltalk)
    result = search.search("скока действует разрешение", lang="en")
    result.kind, result.matches[0].id, result.query_lang   # 'answer', 'wp_validity', 'ru'
"""

from __future__ import annotations

import gc
import math
import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from rapidfuzz import fuzz, process

from .language import LanguageGuesser
from .layout import swap_layout
from .model import NO_CASE, FaqEntryLike, Match, SearchResult, SmalltalkLike, UserCase
from .negation import NEGATION, exempting, is_cue, negated
from .policy import Thresholds, decide
from .ranker import Model, Ranker, evidence, sentences, top_first
from .text import fold, index_term, plain_form, query_term, query_terms, skeleton

if TYPE_CHECKING:
    from knowledge.schema import SituationsFile


class ElsewhereReader(Protocol):
    """What the search needs of a ``SituationReader``."""

    def elsewhere(self, text: str) -> tuple[bool, bool]: ...


class KnowledgeLike(Protocol):
    """What :meth:`FaqSearch.for_knowledge` reads of a knowledge base."""

    faq: Sequence[FaqEntryLike]
    smalltalk: Sequence[SmalltalkLike]
    situations: SituationsFile | None

SECOND_QUESTION = 60.0
"""How likely (0–100) the best entry of a second question must be to be offered."""
_QUESTION = re.compile(r"[^.!?\n]+\?")
SHOWN = 5
"""The most entries a search shows (inline mode); the policy looks at the first two."""
_VARIANT_BITS = 8  # variant numbers within an entry, in the variant postings
_VARIANT_MASK = (1 << _VARIANT_BITS) - 1

@dataclass(frozen=True)
class Tuning:
    """Matching knobs, tuned on the development set (the policy thresholds are separate)."""

    term_cutoff: float = 72.0
    """Minimum ``fuzz.ratio`` for a query term to count as a vocabulary term (longer terms)."""
    short_term_len: int = 2
    """Terms this short must match exactly ("рф", "kz")."""
    family_prefix: int = 3
    """A word whose term is in the vocabulary as it is is compared only with the terms sharing
    this many first letters (its word family); it keeps a query cheap on a large base, where a
    full fuzzy look-up scans the whole vocabulary."""
    hits_per_term: int = 8
    """At most this many vocabulary terms per query word form (the closest)."""
    keyword_factor: float = 0.9
    """A keyword's closeness counts this much of a question variant's: keywords are single
    words shared by several entries, a question says what the entry is about."""
    coverage_weight: float = 0.5
    """Share of coverage in the score; the rest is closeness to the best variant."""
    variant_coverage_weight: float = 0.6
    """In closeness: share of the variant's IDF weight matched; the rest is token_sort_ratio."""
    candidates: int = 12
    """How many best-covered entries get the (costlier) closeness scoring..."""
    max_candidates: int = 36
    """...and more when they tie with the last of them, up to this many: "жұмысқа рұқсат деген
    не" covers some 20 entries fully, and the one that asks exactly that must be compared."""
    stem_min: int = 5
    """A vocabulary term this long or longer that begins a query word counts as its root."""
    stem_similarity: float = 85.0
    """...with this similarity (as if ``fuzz.ratio``), unless the word is closer to it anyway."""
    smalltalk_candidates: int = 5
    """Small-talk phrases (the closest by word overlap) checked against a longer message."""
    smalltalk_filler: int = 2
    """At most this many filler words around a small-talk phrase ("thanks so much")."""
    smalltalk_word_weight: float = 0.3
    """In a message that is not small talk, a word that is a small-talk phrase on its own
    ("помощь консультанта", "нет регистрации", "тіркеуім жоқ") weighs this share of its IDF:
    the other words say what the message is about."""
    smalltalk_word_fuzzy_len: int = 5
    """Shorter words count as small-talk words only when spelt exactly as one."""
    negation_weight: float = 1.0
    """A negated need ("не нужно", "керек емес", "doesn't need") weighs this share of its IDF:
    it must lift "who does not need..." entries over "what is needed" ones, yet cost little
    to an entry about one exempt group ("refugees don't need a permit, right?")."""


@dataclass(frozen=True, slots=True)
class _Variant:
    text: str  # as written in the knowledge base
    lang: str
    form: str  # the terms joined by spaces
    is_question: bool
    term_ids: tuple[int, ...]  # vocabulary indexes of its terms


@dataclass(slots=True)
class _Scored:
    entry: int
    score: float
    variant: _Variant | None


@dataclass
class FaqSearch:
    """Fuzzy, cross-language FAQ retrieval with a confidence policy. Build with :meth:`build`."""

    entry_ids: list[str]
    variants: list[list[_Variant]]
    vocabulary: list[str]
    postings: list[tuple[int, ...]]  # vocabulary index -> entries that use the term
    idf: list[float]
    unknown_idf: float
    smalltalk_ids: list[str]
    smalltalk_forms: list[str]
    languages: tuple[str, ...]
    guesser: LanguageGuesser
    thresholds: Thresholds = field(default_factory=Thresholds)
    tuning: Tuning = field(default_factory=Tuning)
    ranker: Ranker | None = None
    elsewhere: Callable[[str], tuple[bool, bool]] | None = None
    """Whether a message speaks of another country / names a citizen of Kazakhstan (the
    ranker's ``abroad`` and ``kz_citizen``), from ``situations.yaml`` when the build has it."""
    _term_index: dict[str, int] = field(default_factory=dict, repr=False)
    _variant_postings: list[list[int]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        # The terms of one-word small-talk phrases: in a longer message they are filler.
        self._smalltalk_words = sorted(
            {t for form in self.smalltalk_forms if " " not in form for t in query_term(form)
             if len(t) > 1}
        )
        # Each variant's IDF mass (the denominator of its recall): computed for an entry the
        # first time it is scored, which keeps it out of the build of a large base.
        self._idf_totals: list[list[float] | None] = [None] * len(self.variants)
        # Vocabulary term -> the variants that contain it (collected by build(), like
        # _term_index), each packed as entry << 8 | number in an array: 4 bytes a pair, so the
        # postings of a 10,000-entry base stay a few MB.
        self._variants_of_term = [array("I", codes) for codes in self._variant_postings]
        self._variant_postings = []
        self._by_prefix: dict[str, tuple[list[int], list[str]]] = {}
        for i, t in enumerate(self.vocabulary):
            indexes, terms = self._by_prefix.setdefault(t[: self.tuning.family_prefix], ([], []))
            indexes.append(i)
            terms.append(t)

    @classmethod
    def for_knowledge(cls, kb: KnowledgeLike, reader: ElsewhereReader | None = None,
                      **options: Any) -> FaqSearch:
        """The search over a knowledge base: its FAQ, small talk and the countries of its
        ``situations.yaml``, through `reader` when the caller has one already (the engine's
        ``SituationReader``; see :meth:`build` for the `options`)."""
        if reader is None:
            return cls.build(kb.faq, kb.smalltalk, situations=kb.situations, **options)
        search = cls.build(kb.faq, kb.smalltalk, **options)
        search.elsewhere = reader.elsewhere
        return search

    @classmethod
    def build(
        cls,
        faq: Iterable[FaqEntryLike],
        smalltalk: Iterable[SmalltalkLike] = (),
        languages: Sequence[str] = ("ru", "kk", "en"),
        thresholds: Thresholds | None = None,
        tuning: Tuning | None = None,
        model: Model | None = None,
        situations: SituationsFile | None = None,
    ) -> FaqSearch:
        """Index every question variant and keyword of every entry, in every language.

        `model` is the ranker's fitted model (``ranker.json`` when not given); the thresholds
        default to the ones calibrated with it. `situations` (the knowledge base's
        ``situations.yaml``) gives the countries that tell a question about another country;
        without it no message is taken for one."""
        faq = list(faq)
        model = model or Model.load()
        if thresholds is None and model.thresholds:
            thresholds = Thresholds(**model.thresholds)
        # The index is hundreds of thousands of small objects without reference cycles; the
        # cycle collector would walk the whole heap again and again while they are made (a
        # tenth or more of a large build), for nothing.
        collecting = gc.isenabled()
        gc.disable()
        try:
            search = cls._build(faq, smalltalk, tuple(languages), thresholds, tuning)
            search.ranker = Ranker(faq, search.languages, model)
            if situations is not None:
                from ..situation import SituationReader  # it uses this package's text tools

                search.elsewhere = SituationReader(situations, {}).elsewhere
            return search
        finally:
            if collecting:
                gc.enable()

    @classmethod
    def _build(
        cls,
        faq: Iterable[FaqEntryLike],
        smalltalk: Iterable[SmalltalkLike],
        languages: tuple[str, ...],
        thresholds: Thresholds | None,
        tuning: Tuning | None,
    ) -> FaqSearch:
        entry_ids: list[str] = []
        variants: list[list[_Variant]] = []
        term_index: dict[str, int] = {}
        entries_of_term: list[set[int]] = []
        variant_postings: list[list[int]] = []  # term -> its variants, packed (see below)
        words_by_lang: dict[str, set[str]] = {lang: set() for lang in languages}

        # Plain dictionaries, not lru_cache: building a 10,000-entry base folds 200,000 texts,
        # and the per-word overhead is most of the build time.
        term_of: dict[str, dict[str, str]] = {lang: {} for lang in languages}
        cues: dict[str, bool] = {}  # word -> whether it may take part in a negation
        for number, entry in enumerate(faq):
            entry_ids.append(entry.id)
            own: list[_Variant] = []
            for is_question, texts in ((True, entry.questions), (False, entry.keywords or {})):
                for lang in languages:
                    cache, seen_words = term_of[lang], words_by_lang[lang]
                    for text in map(str, texts.get(lang) or ()):
                        words = fold(text).split()
                        seen_words.update(words)
                        cued = False
                        for w in words:
                            cue = cues.get(w)
                            if cue is None:
                                cue = cues[w] = is_cue(w)
                            cued = cued or cue
                        negations = negated(words, lang) if cued else set()
                        entry_terms = []
                        for position, w in enumerate(words):
                            if position in negations:
                                entry_terms.append(NEGATION)
                                continue
                            t = cache.get(w)
                            if t is None:
                                t = cache[w] = index_term(w, lang)
                            if t:
                                entry_terms.append(t)
                        if cued and exempting(words, lang):
                            entry_terms.append(NEGATION)
                        if not entry_terms:
                            continue  # a keyword made only of stop words ("what is")
                        if len(own) > _VARIANT_MASK:
                            raise ValueError(f"FAQ entry {entry.id} has over {_VARIANT_MASK} "
                                             "questions and keywords")
                        code = number << _VARIANT_BITS | len(own)
                        ids: list[int] = []
                        for t in entry_terms:
                            i = term_index.get(t)
                            if i is None:
                                i = term_index[t] = len(entries_of_term)
                                entries_of_term.append({number})
                                variant_postings.append([])
                            else:
                                entries_of_term[i].add(number)
                            if i not in ids:
                                ids.append(i)
                                variant_postings[i].append(code)
                        own.append(
                            _Variant(text, lang, " ".join(entry_terms), is_question, tuple(ids))
                        )
            variants.append(own)

        smalltalk_ids: list[str] = []
        smalltalk_forms: list[str] = []
        for item in smalltalk:
            for lang in languages:
                for phrase in map(str, item.phrases.get(lang) or ()):
                    words_by_lang[lang].update(fold(phrase).split())
                    smalltalk_ids.append(item.id)
                    smalltalk_forms.append(plain_form(phrase))

        n = max(len(entry_ids), 1)
        return cls(
            entry_ids=entry_ids,
            variants=variants,
            vocabulary=list(term_index),
            postings=[tuple(sorted(entries)) for entries in entries_of_term],
            idf=[math.log(1 + n / len(entries)) for entries in entries_of_term],
            unknown_idf=math.log(1 + 2 * n),
            smalltalk_ids=smalltalk_ids,
            smalltalk_forms=smalltalk_forms,
            languages=languages,
            guesser=LanguageGuesser.from_words(words_by_lang),
            thresholds=thresholds or Thresholds(),
            tuning=tuning or Tuning(),
            _term_index=term_index,
            _variant_postings=variant_postings,
        )

    # -- querying -----------------------------------------------------------------------------

    def search(
        self, query: str, lang: str, limit: int = 3, case: UserCase = NO_CASE
    ) -> SearchResult:
        """Find the FAQ entries `query` asks about; `lang` is the interface language, `case` what
        the interview has learnt of the user, route and side (their own case's entries rank
        first)."""
        limit = max(1, min(limit, SHOWN))  # 3 for "Did you mean…", up to 5 for inline mode
        typed = query
        cache: dict[str, dict[int, float]] = {}
        ranked = self._ranked(typed, cache, case)
        best = ranked[0].score if ranked else 0.0
        if best < self.thresholds.answer and self._has_unknown_words(query, cache):
            swapped = swap_layout(query)
            # the other layout is a guess: tried only when it reads as words ("какая погода"
            # swapped is "rfrfz gjujlf", which matches some entry a little, like any noise)
            if swapped != query and not self._has_unknown_words(swapped, cache):
                ranked_swapped = self._ranked(swapped, cache, case)
                if ranked_swapped and ranked_swapped[0].score > best:
                    typed, ranked = swapped, ranked_swapped

        faq_best = ranked[0].score if ranked else 0.0
        query_lang = self._query_lang(typed, ranked, lang)
        smalltalk_id = self._smalltalk(query, faq_best, cache)
        if smalltalk_id is not None:
            return SearchResult("smalltalk", (), query_lang, smalltalk_id)

        kind = decide([r.score for r in ranked], self.thresholds)
        if kind == "none":
            return SearchResult("none", (), query_lang)
        shown = ranked[:limit]
        matches = tuple(self._match(r, query_lang or lang) for r in shown)
        also = self._second_question(typed, ranked[0].entry, cache, case)
        if kind == "suggest" and also and also[0].entry not in {r.entry for r in shown}:
            shown = [*shown[: limit - 1], also[0]]  # offer the other question's entry too
            matches = tuple(self._match(r, query_lang or lang) for r in shown)
            also = []
        return SearchResult(kind, matches, query_lang,
                            also=tuple(self._match(r, query_lang or lang) for r in also))

    def _second_question(
        self, text: str, first: int, cache: dict[str, dict[int, float]], case: UserCase
    ) -> list[_Scored]:
        """The entry a question of its own clearly asks about, other than `first`: when the
        message asks two questions or more (sentences ending in "?"), each ranked alone, the
        first whose best is more likely than not (``SECOND_QUESTION``): it is offered as a
        button, not answered. Sentences that tell the story ("I am
        from Tashkent, I work in Shymkent.") are not questions and are not ranked."""
        questions = [q.strip() for q in _QUESTION.findall(text)]
        if self.ranker is None or len(questions) < 2:
            return []
        for piece in questions:
            ranked = self._ranked(piece, cache, case)
            if ranked and ranked[0].entry != first and ranked[0].score >= SECOND_QUESTION:
                return ranked[:1]
        return []

    def ranking(self, query: str, case: UserCase = NO_CASE, limit: int = 3) -> list[str]:
        """The ids of the `limit` entries the ranker puts first, whatever the policy would do
        with them: for benchmarks that compare rankings with a baseline."""
        return [self.entry_ids[s.entry] for s in self._ranked(query, {}, case)[:limit]]

    def features(self, query: str, case: UserCase = NO_CASE) -> np.ndarray:
        """The ranker's features of `query` for every entry (entries × ``ranker.FEATURES``), in
        ``entry_ids`` order: what ``bench/fit_ranker.py`` fits the model on."""
        assert self.ranker is not None
        fuzzy, _ = self._fuzzy_scores(query, {})
        return self.ranker.features(sentences(query), fuzzy, case, self._elsewhere(query))[0]

    def _elsewhere(self, text: str) -> tuple[bool, bool]:
        return self.elsewhere(text) if self.elsewhere is not None else (False, False)

    def _fuzzy_scores(
        self, text: str, cache: dict[str, dict[int, float]]
    ) -> tuple[np.ndarray, dict[int, _Scored]]:
        """The fuzzy index's score (0–1) of every entry, 0 for those it did not shortlist, and
        its scoring of the shortlisted ones."""
        scores = np.zeros(len(self.entry_ids))
        by_entry = {}
        for scored in self._rank(text, cache):
            scores[scored.entry] = scored.score / 100.0
            by_entry[scored.entry] = scored
        return scores, by_entry

    def _ranked(
        self, text: str, cache: dict[str, dict[int, float]], case: UserCase
    ) -> list[_Scored]:
        """The ``SHOWN`` entries most likely to answer `text` by the ranker's probability (0–100),
        of those with anything in common with it, best first."""
        if self.ranker is None:
            return self._rank(text, cache)
        fuzzy, by_entry = self._fuzzy_scores(text, cache)
        features, variant_scores = self.ranker.features(sentences(text), fuzzy, case,
                                                        self._elsewhere(text))
        probabilities = self.ranker.probabilities(features)
        found = evidence(features).nonzero()[0]
        found = found[top_first(probabilities[found], SHOWN)]
        ranked = []
        for entry in map(int, found):
            scored = by_entry.get(entry)
            variant = scored.variant if scored is not None else None
            if variant is None:  # the question shown with the match
                number = self.ranker.best_variant(entry, variant_scores)
                if number is not None:
                    text_, lang, is_question = self.ranker.variant_text[number]
                    variant = _Variant(text_, lang, "", is_question, ())
            ranked.append(_Scored(entry, 100.0 * float(probabilities[entry]), variant))
        return ranked

    def _has_unknown_words(self, text: str, cache: dict[str, dict[int, float]]) -> bool:
        """Whether at least a third of the words of `text` are neither stop words nor near any
        indexed term: the sign of a wrong keyboard layout ("rdjnf yf hf,jne"), which garbles
        every word (though a garbled word may happen to look like some term), as opposed to a
        question with one word the base lacks. Ranking the swapped text again costs as much as
        the search itself, so it is not tried for every unknown word."""
        terms = query_terms(text)
        unknown = sum(not self._vocabulary_hits(forms, cache) for forms in terms)
        return unknown > 0 and 3 * unknown >= len(terms)

    def _rank(self, text: str, cache: dict[str, dict[int, float]]) -> list[_Scored]:
        """Entries scored against `text`, best first (only those sharing some term with it)."""
        alternatives = query_terms(text)
        if not alternatives:
            return []
        tuning = self.tuning
        weights: list[float] = []
        covered: dict[int, float] = {}  # entry -> sum of weight * similarity
        term_similarity: dict[int, float] = {}  # vocabulary index -> best similarity to a term
        hits_by_term: list[dict[int, float]] = []  # per query term: vocabulary index -> similarity
        for forms in alternatives:
            hits = self._vocabulary_hits(forms, cache)
            weight = self._term_weight(hits)
            if forms == (NEGATION,):
                weight *= tuning.negation_weight
            elif self._is_smalltalk_word(forms):
                weight *= tuning.smalltalk_word_weight
            weights.append(weight)
            hits_by_term.append(hits)
            best_for_entry: dict[int, float] = {}
            for i, similarity in hits.items():
                if similarity > term_similarity.get(i, 0.0):
                    term_similarity[i] = similarity
                for entry in self.postings[i]:
                    if similarity > best_for_entry.get(entry, 0.0):
                        best_for_entry[entry] = similarity
            for entry, similarity in best_for_entry.items():
                covered[entry] = covered.get(entry, 0.0) + weight * similarity / 100.0
        total = sum(weights)
        shortlist = _shortlist(covered, tuning.candidates, tuning.max_candidates)

        query_form = " ".join(forms[0] for forms in alternatives)
        share = tuning.coverage_weight
        # Only variants sharing a term with the query can be the closest: find them through the
        # variant postings instead of looking at every variant of every listed entry.
        listed = set(shortlist)
        sharing: dict[int, set[int]] = {entry: set() for entry in shortlist}
        for term in term_similarity:
            for packed in self._variants_of_term[term]:
                entry = packed >> _VARIANT_BITS
                if entry in listed:
                    sharing[entry].add(packed & _VARIANT_MASK)
        scored = []
        for entry in shortlist:
            variant, closeness = self._closest_variant(
                query_form, entry, sorted(sharing[entry]), term_similarity, hits_by_term,
                weights, total,
            )
            coverage = covered[entry] / total
            score = 100.0 * (share * coverage + (1 - share) * closeness)
            scored.append(_Scored(entry, score, variant))
        scored.sort(key=lambda s: s.score, reverse=True)
        return scored

    def _term_weight(self, hits: dict[int, float]) -> float:
        """How much a query word weighs: the IDF of the rarest vocabulary term it is near, or the
        unknown IDF (more than any term's) when it is near none."""
        return max((self.idf[i] for i in hits), default=self.unknown_idf)

    def _known_stems(self, form: str) -> list[int]:
        """The vocabulary terms of at least ``stem_min`` letters that `form` starts with: roots
        with suffixes the base never spells ("ресейденмін" → "ресей", "квоталарымызды" →
        "квота"). Kazakh chains suffixes on a root that stays as it is, which edit-distance
        similarity undervalues once the suffixes are longer than the root."""
        found = (self._term_index.get(form[:end]) for end in range(self.tuning.stem_min, len(form)))
        return [i for i in found if i is not None]

    def _is_smalltalk_word(self, forms: tuple[str, ...]) -> bool:
        """Whether a query word is a whole small-talk phrase on its own ("помощь", "нет",
        "жоқ", "ok"), typos and endings allowed ("көмегі")."""
        choices, cutoff = self._smalltalk_words, self.thresholds.smalltalk
        # Short words only as they are: at three letters one typo is a different word
        # ("tax" is not "thx").
        return any(
            f in choices
            or (len(f) >= self.tuning.smalltalk_word_fuzzy_len
                and process.extractOne(f, choices, scorer=fuzz.ratio, score_cutoff=cutoff))
            for f in forms
        )

    def _vocabulary_hits(
        self, forms: tuple[str, ...], cache: dict[str, dict[int, float]]
    ) -> dict[int, float]:
        """Vocabulary terms close to any of a query word's forms: index -> best similarity.

        `cache` lives for one search (the query may be ranked twice, typed and layout-swapped).
        """
        tuning = self.tuning
        # A word spelt as some indexed term needs only its own family (same first letters:
        # "razresen", "razreseni"); only an unknown spelling is compared with every term.
        spelt_right = any(f in self._term_index for f in forms)
        hits: dict[int, float] = {}
        for form in forms:
            if form == NEGATION and form not in cache:
                # Not a word: it can only be itself, never a typo of a real term.
                found = self._term_index.get(form)
                cache[form] = {} if found is None else {found: 100.0}
            if form not in cache:
                cutoff = 100.0 if len(form) <= tuning.short_term_len else tuning.term_cutoff
                if spelt_right:
                    indexes, choices = self._by_prefix.get(form[: tuning.family_prefix], ((), ()))
                else:
                    indexes, choices = range(len(self.vocabulary)), self.vocabulary
                found = {
                    indexes[k]: similarity
                    for _, similarity, k in process.extract(
                        form, choices, scorer=fuzz.ratio, score_cutoff=cutoff,
                        limit=tuning.hits_per_term,
                    )
                }
                for stem in self._known_stems(form):
                    if found.get(stem, 0.0) < tuning.stem_similarity:
                        found[stem] = tuning.stem_similarity
                cache[form] = found
            for i, similarity in cache[form].items():
                if similarity > hits.get(i, 0.0):
                    hits[i] = similarity
        return hits

    def _closest_variant(
        self,
        query_form: str,
        entry: int,
        numbers: list[int],
        term_similarity: dict[int, float],
        hits_by_term: list[dict[int, float]],
        weights: list[float],
        total_weight: float,
    ) -> tuple[_Variant | None, float]:
        """Of the entry's variants ``numbers`` (those sharing a term with the query), the
        closest to the query, and how close (0–1).

        Closeness is an F-measure of two IDF-weighted shares: how much of the query the variant
        explains, and how much of the variant the query explains. A keyword explains little of a
        long query and a long variant is little explained by a short query, so asking the question
        the way one variant asks it beats merely sharing words with several.
        Optionally mixed with rapidfuzz's ``token_sort_ratio`` of the two term strings.
        """
        idf = self.idf
        mix = self.tuning.variant_coverage_weight
        keyword_factor = self.tuning.keyword_factor
        weighted_hits = list(zip(weights, hits_by_term, strict=True))
        best_variant, best = None, -1.0
        variants, idf_totals = self.variants[entry], self._idf_totals[entry]
        if idf_totals is None:
            idf_of = idf.__getitem__
            idf_totals = self._idf_totals[entry] = [sum(map(idf_of, v.term_ids))
                                                    for v in variants]
        for number in numbers:
            variant, idf_total = variants[number], idf_totals[number]
            matched = [u for u in variant.term_ids if u in term_similarity]
            recall = sum(idf[u] * term_similarity[u] for u in matched) / (
                100.0 * idf_total
            )
            explained = 0.0  # (plain loops: this is the innermost loop of every search)
            for w, hits in weighted_hits:
                top = 0.0
                for u in matched:
                    similarity = hits.get(u, 0.0)
                    if similarity > top:
                        top = similarity
                explained += w * top
            precision = explained / (100.0 * total_weight)
            f_measure = 2 * precision * recall / (precision + recall) if precision else 0.0
            closeness = mix * f_measure
            if mix < 1.0:
                closeness += (1 - mix) * fuzz.token_sort_ratio(query_form, variant.form) / 100.0
            if not variant.is_question:
                closeness *= keyword_factor
            if closeness > best:
                best_variant, best = variant, closeness
        return best_variant, max(best, 0.0)

    def _match(self, scored: _Scored, lang: str) -> Match:
        """The public match; the question shown is a real question, in the reader's language
        when the best variant was a keyword."""
        variant = scored.variant
        if variant is None or not variant.is_question:
            questions = [v for v in self.variants[scored.entry] if v.is_question]
            same_lang = [v for v in questions if v.lang == (variant.lang if variant else lang)]
            pool = same_lang or questions
            variant = pool[0] if pool else variant
        entry_id = self.entry_ids[scored.entry]
        if variant is None:
            return Match(entry_id, round(scored.score, 1), "", lang)
        return Match(entry_id, round(scored.score, 1), variant.text, variant.lang)

    def _smalltalk(
        self, query: str, faq_best: float, cache: dict[str, dict[int, float]]
    ) -> str | None:
        """The small-talk id when the message IS small talk rather than a question.

        - The whole message is a known phrase, typos allowed ("спасиба", "how r u").
        - Or it is a phrase plus filler: every other word is a stop word or a word no FAQ entry
          knows ("ну как дела", "добрый вечер всем", "thanks so much"), at most
          ``smalltalk_filler`` of them; with more filler it is small talk only when no FAQ
          entry comes near the floor ("привет, какая завтра погода в астане").
        - A message with a word the FAQ knows besides the phrase is a question, never small talk:
          "помощь консультанта" is not "help", "нет регистрации" is not "no".
        """
        if not self.smalltalk_forms:
            return None
        form = plain_form(query)
        if not form:
            return None
        cutoff = self.thresholds.smalltalk
        whole = process.extractOne(form, self.smalltalk_forms, scorer=fuzz.ratio)
        if whole[1] >= cutoff:
            return self.smalltalk_ids[whole[2]]
        words = self._message_words(query, cache)
        for _, _, k in process.extract(
            form, self.smalltalk_forms, scorer=fuzz.token_set_ratio, score_cutoff=cutoff,
            limit=self.tuning.smalltalk_candidates,
        ):
            phrase = self.smalltalk_forms[k].split()
            others = [
                known for word, known in words
                if max(fuzz.ratio(word, p) for p in phrase) < cutoff
            ]
            if len(others) == len(words) or any(others):
                continue  # nothing of the phrase is there, or a word the FAQ knows is
            if len(others) <= self.tuning.smalltalk_filler or faq_best < self.thresholds.floor:
                return self.smalltalk_ids[k]
        return None

    def _message_words(
        self, query: str, cache: dict[str, dict[int, float]]
    ) -> list[tuple[str, bool]]:
        """Each word of the message as a skeleton, and whether the FAQ knows it (it is no stop
        word and has some vocabulary term close enough to count in ranking)."""
        words = []
        for word in fold(query).split():
            sk = skeleton(word)
            if not sk:
                continue
            forms = query_term(word)
            words.append((sk, bool(forms) and bool(self._vocabulary_hits(forms, cache))))
        return words

    def _query_lang(self, text: str, ranked: list[_Scored], interface: str) -> str | None:
        guess = self.guesser.guess(text)
        if guess is not None:
            return guess
        # Unclear from the words alone (e.g. "квота" is Russian and Kazakh): the interface
        # language is as good a reading as any, and then no switch is offered.
        return interface if interface in self.guesser.candidates(text) else None


__all__ = ["FaqSearch", "Tuning", "fold", "skeleton"]


def _shortlist(covered: dict[int, float], size: int, limit: int) -> list[int]:
    """The ``size`` entries that cover the query best, and any tied with the last of them (up to
    ``limit``): cutting inside a tie would drop entries by the order they were indexed in."""
    ranked = sorted(covered, key=covered.__getitem__, reverse=True)
    if len(ranked) <= size:
        return ranked
    floor = covered[ranked[size - 1]] - 1e-9
    end = size
    while end < min(len(ranked), limit) and covered[ranked[end]] >= floor:
        end += 1
    return ranked[:end]
