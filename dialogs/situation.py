"""Facts read from a described situation, so an interview can start from what the user said.

A first message often tells the bot who the person is before it asks anything: "Я гражданка
Таджикистана, повар, ВНЖ нет…", "Our LLP in Aktau wants to bring a welder from Azerbaijan". The
:class:`SituationReader` reads the facts such a message states, in the interviews' own terms
(role, citizenship and its group, status, activity, the employer's registration, the post,
family), and :meth:`SituationReader.interview` turns them into the answers of the matching
interview. Which phrase says which fact is content (``knowledge/base/situations.yaml``); this
module only matches::

    reader = SituationReader(kb.situations, kb.flows)
    facts = reader.read("Я гражданин Узбекистана, ВНЖ нет")
    # {'role': 'worker', 'citizenship': 'UZ', 'citizenship_group': 'other', 'status': 'none'}
    reader.interview(facts)
    # ('worker', {'citizenship_group': 'other', 'status': 'none'})

How a message is read:

1. it is cut into clauses at punctuation and at the `boundaries` words, folded and turned into
   Latin skeletons (the FAQ search's :func:`~dialogs.search.text.fold` and
   :func:`~dialogs.search.spelling.skeleton`), so Cyrillic, Russian typed in Latin letters and
   Kazakh without Kazakh letters meet;
2. every phrase of every signal is looked for: its words in order within one clause, up to two
   words apart (``...`` in a phrase: up to six); a starred word is a stem, a long word also
   matches with one typo; a phrase covered by a longer one that says the same fact gives way;
3. a negation next to a phrase turns it into its `negated:` facts, or into nothing; a phrase
   asked about (the `asking:` words: "что такое ВНЖ", "how to get a residence permit") says
   nothing, and one after the `wishes:` words says nothing of the worker (`unless_wished:`) ("I
   *want to* work as a cook" is a wish; "we want to hire a cook" still names the post);
4. countries are found by their CLDR names (Babel, ru/kk/en) and the knowledge base's demonyms;
   a country next to "citizen"/"азамат" or "из"/"from" is the person's, one next to "company"
   ("фирма из Германии", "a French company") or asked about ("Армения входит в ЕАЭС?") is not,
   and several different ones without such a word are not read (only their common group, if
   they share one);
5. who writes (worker or employer) decides which of the signals' facts apply; two different
   values of one fact cancel out, unless `combine:` joins them (spouse + children); a signal's
   `cancels:` leaves facts unread ("my husband works here": no family coming along).

Nothing here guesses: a fact that is not clearly stated is not read, and the interview asks it.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from babel import Locale
from rapidfuzz.distance import OSA

from dialogs.search.spelling import skeleton
from dialogs.search.text import fold
from knowledge.schema import LANGUAGES, Flow, LocalList, SituationsFile, SituationSignal

GAP = 2  # other words allowed between two words of a phrase
WIDE_GAP = 6  # ... after "..." in a phrase
NEGATION_BEFORE = 4  # how far before a phrase a negation reaches (words)
NEGATION_AFTER = 5  # and after it ("ВНЖ в Казахстане у него нет")
ASKING_BEFORE = 8  # how far before a phrase a question word reaches ("difference between a work
# permit and a residence permit")
CITIZEN_REACH = 3  # how far a "citizen" word makes a country the person's
COMPANY_REACH = 2  # how far a "company" word makes a country the company's
TYPO_MIN = 6  # a word (or stem) longer than this forgives one typo
# Case endings a country's name may carry, in skeleton letters: Russian (России, Россию,
# Германией) and Kazakh (Ресейден, Қытайдан, Ресейдегі, Өзбекстандық), also after the name's own
# last vowel, which the stem drops (Түркия → Түркиядан).
_ENDINGS = ("", "a", "u", "e", "i", "o", "om", "oi", "ei", "ie", "ii", "iu", "ami", "ah", "ov",
            "dan", "tan", "nan", "den", "ten", "nen", "nin", "din", "tin", "da", "ta", "de", "te",
            "na", "ne", "ga", "ka", "ge", "ke", "dagi", "degi", "tagi", "tegi", "dik", "tik", "lik",
            "nik", "dak", "tak", "lak", "mn", "min",
            # a doubled consonant is one letter in a skeleton: Ираннан, Египеттен -> iran-an
            "an", "en", "in", "anmin", "enmin", "danmin", "tanmin", "denmin", "tenmin")
COUNTRY_ENDINGS = frozenset(_ENDINGS) | {v + e for v in "aeiou" for e in _ENDINGS}
# Kazakh endings of where to and where at (Польшаға, Ресейде), in skeleton letters, also after
# the name's own last vowel, which the stem drops (Канада → kanad-aga)
_PLACE = ("da", "de", "ta", "te", "ga", "ge", "ka", "ke", "na", "ne")
PLACE_ENDINGS = frozenset(_PLACE) | {v + e for v in "aeiou" for e in _PLACE}
SHORT = 3  # a word whose skeleton has this many letters or fewer is compared as folded
CLAUSE = re.compile(r"[.!?;:,()\[\]\n\r\t—–]+|\s[-–]\s")
CITIZENSHIP = "citizenship"
GROUP = "citizenship_group"
ROLE = "role"


@dataclass(frozen=True)
class _Word:
    """One word of a phrase in skeleton form: the whole word, or a stem (``prefix``), or a
    country name that may carry a short ending (``extra``)."""

    text: str
    prefix: bool = False
    ending: bool = False  # a country's name: only a case ending may follow it
    short: bool = False  # a short word: compared as folded, not as a skeleton ("тоо" is not "to")

    def matches(self, word: str) -> bool:
        if self.prefix:
            head = word[: len(self.text)]
            if head != self.text and not (
                len(self.text) > TYPO_MIN and len(word) >= len(self.text)
                and OSA.distance(head, self.text, score_cutoff=1) <= 1
            ):
                return False
            return not self.ending or word[len(self.text):] in COUNTRY_ENDINGS
        return word == self.text or (
            len(self.text) > TYPO_MIN
            and OSA.distance(word, self.text, score_cutoff=1) <= 1
        )


@dataclass(frozen=True)
class _Phrase:
    words: tuple[_Word, ...]
    gaps: tuple[int, ...]  # allowed gap before each word after the first
    owner: int  # index of the signal, or -1 - country index for a country name


@dataclass(frozen=True)
class _Match:
    phrase: _Phrase
    start: int
    end: int  # inclusive
    at: tuple[int, ...]  # the tokens the phrase's words matched (not the words between)


@dataclass
class _Token:
    word: str  # the folded word
    skel: str
    clause: int


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _compile(phrase: str, owner: int, *, country: bool = False) -> _Phrase | None:
    words: list[_Word] = []
    gaps: list[int] = []
    gap = GAP
    for raw in phrase.split():
        if raw == "...":
            gap = WIDE_GAP
            continue
        star = raw.endswith("*")
        parts = fold(raw.rstrip("*")).split()
        for i, part in enumerate(parts):
            skel = skeleton(part)
            if not skel:
                continue
            last = i == len(parts) - 1
            if country and not star:
                root = skel[:-1] if len(skel) >= 5 and skel[-1] in "aeou" else skel
                word = _Word(root, prefix=True, ending=True)
            elif not (star and last) and len(skel) <= SHORT:
                word = _Word(part, short=True)
            else:
                word = _Word(skel, prefix=star and last)
            if words:
                gaps.append(gap if i == 0 else 0)
            words.append(word)
            gap = GAP
    if not words:
        return None
    return _Phrase(tuple(words), tuple(gaps), owner)


class _Matcher:
    """Finds phrases in a tokenised message; words are looked up, not scanned."""

    def __init__(self, phrases: Iterable[_Phrase]):
        self.phrases = [p for p in phrases if p.words]
        words = {w for p in self.phrases for w in p.words}
        self.exact: dict[str, list[_Word]] = defaultdict(list)
        self.short: dict[str, list[_Word]] = defaultdict(list)
        self.prefixes: dict[str, list[_Word]] = defaultdict(list)
        self.typos: dict[str, list[_Word]] = defaultdict(list)
        for w in words:
            target = self.prefixes if w.prefix else self.short if w.short else self.exact
            target[w.text].append(w)
            if len(w.text) > TYPO_MIN:
                for key in {w.text} | _deletes(w.text):
                    self.typos[key].append(w)
        self.lengths = sorted({len(w.text) for w in words if w.prefix})
        self.by_first: dict[_Word, list[_Phrase]] = defaultdict(list)
        for p in self.phrases:
            self.by_first[p.words[0]].append(p)
        # per matcher, so a reloaded knowledge base does not keep the old one's words alive
        self.words_of = functools.lru_cache(maxsize=32768)(self._words_of)

    def _words_of(self, skel: str, word: str) -> frozenset[_Word]:
        found: set[_Word] = set(self.exact.get(skel, ()))
        found.update(self.short.get(word, ()))
        for length in self.lengths:
            if length > len(skel) + 1:
                break
            found.update(w for w in self.prefixes.get(skel[:length], ()) if w.matches(skel))
        if len(skel) > TYPO_MIN:
            keys = {skel} | _deletes(skel)
            keys |= {k for length in self.lengths if TYPO_MIN < length < len(skel)
                     for k in (skel[:length], *_deletes(skel[:length]),
                               skel[:length + 1])}
            for key in keys:
                found.update(w for w in self.typos.get(key, ()) if w.matches(skel))
        return frozenset(found)

    def find(self, tokens: list[_Token]) -> list[_Match]:
        matched = [self.words_of(t.skel, t.word) for t in tokens]
        found: list[_Match] = []
        for start, words in enumerate(matched):
            for first in words:
                for phrase in self.by_first.get(first, ()):
                    at = self._rest(phrase, tokens, matched, start)
                    if at is not None:
                        found.append(_Match(phrase, start, at[-1], at))
        return found

    @staticmethod
    def _rest(phrase: _Phrase, tokens: list[_Token], matched: list[frozenset[_Word]],
              start: int) -> tuple[int, ...] | None:
        at = [start]
        clause = tokens[start].clause
        for word, gap in zip(phrase.words[1:], phrase.gaps, strict=True):
            for j in range(at[-1] + 1, min(at[-1] + 2 + gap, len(tokens))):
                if tokens[j].clause != clause:
                    return None
                if word in matched[j]:
                    at.append(j)
                    break
            else:
                return None
        return tuple(at)


@dataclass
class _Found:
    """What the phrases said, before the role and the conflicts are settled."""

    strong: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # scope->fact->values
    weak: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)
    cancelled: dict[str, set[str]] = field(default_factory=dict)  # scope -> facts left unread

    def cancel(self, signal: SituationSignal) -> None:
        """Leave the signal's `cancels:` facts unread, for the side its facts are for (for
        everyone when it says none: "граждане ЕАЭС" in general)."""
        scopes = [scope for scope, facts in (("all", signal.all), ("worker", signal.worker),
                                             ("employer", signal.employer)) if facts] or ["all"]
        for scope in scopes:
            self.cancelled.setdefault(scope, set()).update(signal.cancels)

    def add(self, scope: str, facts: Mapping[str, str], weak: bool, weight: int = 1) -> None:
        target = self.weak if weak else self.strong
        for fact, value in facts.items():
            if fact == ROLE:
                self.roles[value] = self.roles.get(value, 0) + weight
            else:
                target.setdefault(scope, {}).setdefault(fact, set()).add(value)


class SituationReader:
    def __init__(self, situations: SituationsFile | None, flows: Mapping[str, Flow]):
        self.situations = situations or SituationsFile()
        self.flows = flows
        s = self.situations
        self.signals: list[SituationSignal] = list(s.signals)
        self.before = self._words(s.negation.before)
        self.after = self._words(s.negation.after)
        self.boundaries = self._words(s.negation.boundaries)
        self.asked_before = self._words(s.asking.before)
        self.asked_after = self._words(s.asking.after)
        self.group_of = {code: group for group, codes in s.countries.groups.items()
                         for code in codes}
        self.skip = set(s.countries.skip)
        self.places = self._words(s.countries.place_words)
        self.language_before = self._words(s.countries.language_words.before)
        self.language_after = self._words(s.countries.language_words.after)
        self.country_asked = self._words(s.countries.asked_words)
        self.destination_before = self._words(s.countries.destination_words.before)
        self.destination_after = self._words(s.countries.destination_words.after)
        self.wishes = self._words(s.wishes)
        self.codes: list[str] = []
        phrases: list[_Phrase] = []
        for index, signal in enumerate(self.signals):
            for _lang, texts in signal.phrases.items():
                for text in texts:
                    compiled = _compile(text, index)
                    if compiled is not None:
                        phrases.append(compiled)
        common = {skeleton(w) for text in s.countries.common_words for w in fold(text).split()}
        self.cited_only: list[bool] = []  # per entry of `codes`: a name that is a common word
        for code, names in country_names(s.countries.names).items():
            for cited_only in (False, True):
                self.codes.append(code)
                self.cited_only.append(cited_only)
                owner = -len(self.codes)
                for name, given in names:
                    folded = fold(name)
                    # a CLDR name that is an everyday word ("Georgia", "того") counts only next
                    # to a citizen word ("citizen of Georgia")
                    common_word = not given and (
                        " ".join(skeleton(w) for w in folded.split()) in common)
                    if common_word != cited_only:
                        continue
                    compiled = _compile(name, owner, country=not given)
                    if compiled is not None:
                        phrases.append(compiled)
        self.matcher = _Matcher(phrases)
        cues = [_compile(t, 0) for _l, ts in s.countries.citizen_words.items() for t in ts]
        self.citizen = _Matcher(c for c in cues if c)
        cues = [_compile(t, 0) for _l, ts in s.countries.origin_words.items() for t in ts]
        self.origin = _Matcher(c for c in cues if c)
        cues = [_compile(t, 0) for _l, ts in s.countries.company_words.items() for t in ts]
        self.company = _Matcher(c for c in cues if c)
        # the facts each interview asks, by role: a fact no interview of the role asks is not read
        self.role_facts: dict[str, set[str]] = {}
        for interview in s.interviews.values():
            facts = {line.fact for line in interview.answers}
            self.role_facts.setdefault(interview.role, set()).update(facts)
        shared = set.intersection(*self.role_facts.values()) if self.role_facts else set()
        self.shared_facts = shared

    @staticmethod
    def _words(texts: LocalList) -> frozenset[str]:
        return frozenset(w for _lang, words in texts.items() for t in words
                         for w in fold(t).split())

    @property
    def available(self) -> bool:
        return bool(self.signals) and bool(self.situations.interviews)

    # --- reading -------------------------------------------------------------------------------

    def tokens(self, text: str) -> list[_Token]:
        tokens: list[_Token] = []
        clause = 0
        for part in CLAUSE.split(text):
            for word in fold(part).split():
                skel = skeleton(word)
                if not skel:
                    continue
                if word in self.boundaries:
                    clause += 1
                    continue
                tokens.append(_Token(word, skel, clause))
            clause += 1
        return tokens

    def read(self, text: str) -> dict[str, str]:
        """The facts ``text`` states, in the interviews' terms (empty when it states none)."""
        if not self.available or not text:
            return {}
        tokens = self.tokens(text[:2000])
        if not tokens:
            return {}
        matches = self._settled(self.matcher.find(tokens))
        # one signal (or country) counts once on the same words, however many of its phrases
        # meet there ("работаю" and "rabotayu")
        unique: dict[tuple[int, int, int], _Match] = {}
        for match in matches:
            unique.setdefault((match.phrase.owner, match.start, match.end), match)
        matches = list(unique.values())
        found = _Found()
        mentions: list[tuple[int, int, int, int]] = []  # start, end, letters, code index
        for match in matches:
            owner = match.phrase.owner
            if owner < 0:
                letters = sum(len(w.text) for w in match.phrase.words)
                mentions.append((match.start, match.end, letters, -owner - 1))
                continue
            signal = self.signals[owner]
            if self._next_to(tokens, match, self.asked_before, self.asked_after, ASKING_BEFORE):
                continue  # asked about ("что такое ВНЖ"), not stated
            negated = self._next_to(tokens, match, self.before, self.after)
            if negated and signal.negated is None:
                continue
            if negated:
                found.add("all", signal.negated or {}, signal.weak)
                continue
            found.add("all", signal.all, signal.weak, signal.weight)
            # a worker's wish ("хочу работать поваром") is not the case; an employer's "we
            # want to hire a cook" still names the post
            if not (signal.unless_wished and self._next_to(tokens, match, self.wishes,
                                                           frozenset())):
                found.add("worker", signal.worker, signal.weak)
            found.add("employer", signal.employer, signal.weak)
            found.cancel(signal)
        return self._facts(found, self._country(tokens, mentions))

    def elsewhere(self, text: str) -> tuple[bool, bool]:
        """Whether `text` speaks of work or travel in another country than Kazakhstan ("рабочая
        виза в Польшу", "Канадаға жұмысқа", "LMIA for Canada") and whether it names a citizen of
        Kazakhstan ("Қазақстан азаматына", "Kazakh citizen"): the FAQ search weighs both as
        signs of a question outside the bot's field."""
        tokens = self.tokens(text[:2000]) if self.available else []
        abroad = citizen_here = False
        for match in self.matcher.find(tokens):
            if match.phrase.owner >= 0:
                continue
            code, start, end = self.codes[-match.phrase.owner - 1], match.start, match.end
            if code in self.skip:
                citizen_here = citizen_here or self._near(self.citizen, tokens, start, end,
                                                          CITIZEN_REACH)
                continue
            ending = tokens[end].skel[len(match.phrase.words[-1].text):]
            abroad = abroad or (
                (start > 0 and tokens[start - 1].word in self.destination_before)
                or (end + 1 < len(tokens) and tokens[end + 1].word in self.destination_after)
                or ending in PLACE_ENDINGS)
        return abroad, citizen_here

    def _settled(self, matches: list[_Match]) -> list[_Match]:
        """Drop a phrase covered by a longer one that speaks of the same fact (or the same
        country slot); keep phrases that say different things about the same words."""
        def facts_of(match: _Match) -> set[str]:
            owner = match.phrase.owner
            if owner < 0:
                return {CITIZENSHIP}
            signal = self.signals[owner]
            return {*signal.all, *signal.worker, *signal.employer, *(signal.negated or {})}

        def size(match: _Match) -> tuple[int, int]:
            return len(match.phrase.words), sum(len(w.text) for w in match.phrase.words)

        ordered = sorted(matches, key=size, reverse=True)
        kept: list[tuple[_Match, set[str]]] = []

        def weak(match: _Match) -> bool:
            return match.phrase.owner >= 0 and self.signals[match.phrase.owner].weak

        for match in ordered:
            facts = facts_of(match)
            covered = any(  # on the words the longer one matched, not the words between them
                set(match.at) <= set(other.at)
                and len(other.phrase.words) > len(match.phrase.words) and facts & other_facts
                and (weak(match) or not weak(other))  # a weak phrase never hides a strong one
                for other, other_facts in kept
            )
            if not covered:
                kept.append((match, facts))
        return [match for match, _facts in kept]

    @staticmethod
    def _next_to(tokens: list[_Token], match: _Match, before: frozenset[str],
                 after: frozenset[str], reach: int = NEGATION_BEFORE) -> bool:
        """Whether one of the `before` words stands up to `reach` words before the phrase, or
        one of the `after` words shortly after it, in its clause (a negation, or a question
        about it)."""
        clause = tokens[match.start].clause
        for j in range(max(0, match.start - reach), match.start):
            if tokens[j].clause == clause and tokens[j].word in before:
                return True
        for j in range(match.end + 1, min(len(tokens), match.end + 1 + NEGATION_AFTER)):
            if tokens[j].clause == clause and tokens[j].word in after:
                return True
        return False

    def _near(self, matcher: _Matcher, tokens: list[_Token], start: int, end: int,
              reach: int) -> bool:
        clause = tokens[start].clause
        for j in [*range(max(0, start - reach), start),
                  *range(end + 1, min(len(tokens), end + 1 + reach))]:
            if tokens[j].clause == clause and matcher.words_of(tokens[j].skel, tokens[j].word):
                return True
        return False

    def _country(self, tokens: list[_Token], mentions: list[tuple[int, int, int, int]]
                 ) -> tuple[str | None, str | None]:
        """The person's citizenship and its group, when the mentions (start, end, letters of
        the name, index in `codes`) settle it."""
        # of mentions on the same words, the longest name wins ("Туркменистан" over "турк"),
        # and a name that is no everyday word over one that is ("Nigeria" over "Niger")
        best: dict[int, tuple[int, int, bool, int]] = {}
        for start, end, letters, index in mentions:
            key = (end - start, letters, not self.cited_only[index])
            if start not in best or key > best[start][:3]:
                best[start] = (*key, index)
        cited: set[str] = set()
        plain: set[str] = set()
        for start, (length, _letters, _plain, index) in best.items():
            code = self.codes[index]
            end = start + length
            if code in self.skip or any(
                0 <= j < len(tokens) and tokens[j].clause == tokens[start].clause
                and tokens[j].word in words
                for j, words in ((start - 1, self.language_before), (end + 1, self.language_after),
                                 (end + 1, self.country_asked), (end + 2, self.country_asked))
            ):
                continue  # not a citizenship: Kazakhstan, a language ("speak Chinese"), or a
                # country asked about ("Армения входит в ЕАЭС?")
            by_company = self._near(self.company, tokens, start, end, COMPANY_REACH)
            if self._near(self.citizen, tokens, start, end, CITIZEN_REACH) or (
                    not by_company and self._near(self.origin, tokens, start, end, CITIZEN_REACH)):
                cited.add(code)  # "гражданин Китая", "из Китая" (but "фирма из Германии")
            elif self.cited_only[index]:
                continue
            elif start > 0 and tokens[start - 1].word in self.places:
                continue  # "worked in Malaysia": where, not whose
            elif by_company:
                continue  # the company's country ("a German company"), not the person's
            else:
                plain.add(code)
        for codes in (cited, plain | cited):
            if len(codes) == 1:
                code = next(iter(codes))
                return code, self.group_of.get(code, "other")
            if codes:
                groups = {self.group_of.get(code, "other") for code in codes}
                return None, groups.pop() if len(groups) == 1 else None
        return None, None

    def _facts(self, found: _Found, country: tuple[str | None, str | None]) -> dict[str, str]:
        roles = found.roles
        role = None
        if roles.get("employer", 0) and roles.get("employer", 0) >= roles.get("worker", 0):
            role = "employer"
        elif roles.get("worker", 0):
            role = "worker"
        else:  # no words about who writes: strong facts that only one side's interview asks
            # say it ("look for work as a teacher" is a worker's job search); a weak one does not
            # ("work as a welder" may be either side's, "we need" any employer's post)
            sides = [side for side in ("worker", "employer") if found.strong.get(side)]
            role = sides[0] if len(sides) == 1 else None
        scopes = ["all"] + ([role] if role else [])
        allowed = self.role_facts.get(role, set()) if role else self.shared_facts
        facts: dict[str, str] = {}
        if role:
            facts[ROLE] = role
        code, group = country
        if code:
            facts[CITIZENSHIP] = code
        names = {fact for scope in scopes for part in (found.strong, found.weak)
                 for fact in part.get(scope, {})}
        names -= set().union(*(found.cancelled.get(scope, set()) for scope in scopes))
        for fact in sorted(names):
            if fact not in allowed:
                continue
            values = set().union(*(found.strong.get(s, {}).get(fact, set()) for s in scopes))
            if not values:
                values = set().union(*(found.weak.get(s, {}).get(fact, set()) for s in scopes))
            value = self._one(fact, values)
            if value is not None:
                facts[fact] = value
        if group and GROUP in allowed | {GROUP}:
            facts[GROUP] = group  # the named country outranks words about the union
        return facts

    def _one(self, fact: str, values: set[str]) -> str | None:
        if len(values) == 1:
            return next(iter(values))
        for rule in self.situations.combine:
            if rule.fact == fact and values == set(rule.values):
                return rule.gives
        return None

    # --- using them ----------------------------------------------------------------------------

    def shown(self, flow_id: str, facts: Mapping[str, str]) -> dict[str, str]:
        """Questions of the interview whose answer is shown as the country read (its code)."""
        interview = self.situations.interviews.get(flow_id)
        code = facts.get(CITIZENSHIP)
        if interview is None or not code:
            return {}
        return {line.question: code for line in interview.answers if line.show_country}

    def interview(self, facts: Mapping[str, str]) -> tuple[str, dict[str, str]] | None:
        """The interview the facts belong to and the answers they give it; None when the
        message does not say who is writing or gives that interview no answer."""
        role = facts.get(ROLE)
        for flow_id, interview in self.situations.interviews.items():
            if interview.role != role or flow_id not in self.flows:
                continue
            answers: dict[str, str] = {}
            for line in interview.answers:
                value = facts.get(line.fact)
                if value is None or any(facts.get(k) != v for k, v in line.when.items()):
                    continue
                option = line.values.get(value) if line.values is not None else value
                if option is not None:
                    answers[line.question] = option
            return (flow_id, answers) if answers else None
        return None


def country_names(extra: Mapping[str, list[str]]) -> dict[str, list[tuple[str, bool]]]:
    """ISO code -> (name, given in the knowledge base) for every country: CLDR's territory
    names in each language and the knowledge base's own names and demonyms."""
    names: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for lang in LANGUAGES:
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code not in ("ZZ", "EU", "UN", "EZ", "QO"):
                names[code].append((name, False))
    for code, given in extra.items():
        names[code].extend((name, True) for name in given)
    return dict(names)


def country_name(code: str, lang: str,
                 display: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """A country's name in ``lang``: the knowledge base's ``display`` name when it gives one,
    else CLDR's, else its code."""
    given = (display or {}).get(code, {}).get(lang)
    return given or Locale.parse(lang).territories.get(code, code)
