"""Negated need: "кому НЕ нужно разрешение", "рұқсат керек ЕМЕС", "who does NOT need a permit".

The words that carry the negation are stop words or too common to matter on their own ("не" is
also Kazakh for "what"; "нужно", "керек", "need" are in every question), so without this module
"кому не нужно разрешение" and "кому нужно разрешение" become the same query. Here the negation
becomes one term, :data:`NEGATION`, the same in every language and alphabet, on both sides: FAQ
variants that ask "who does not need..." carry it and so do queries that ask it, and its weight
comes from the index like any term's (rare in the base, so it counts).

Rules (on folded words, compared as Latin skeletons so "не нужно" and "ne nuzhno" agree):

- ru: "не" right before a word of need ("нужно", "требуется", "надо", "обязательно"...), or
  "можно не ..." ("кому можно не соблюдать"); a bare "не" is left alone ("не выезжая" is about
  leaving, and Kazakh "не" means "what");
- kk: "емес" after a word of need ("керек емес", "міндетті емес"), "жоқ" after a noun of need
  ("қажеті жоқ");
- en: "not", "no" or "n't" in any spelling ("don't", "dont", "doesn t") followed by a word of need
  within three words ("does not need", "not required", "don't have to", "no permit needed"); a
  bare "not" is left alone ("do I need a permit or not", "for not notifying");
- the exemption words ("освобождён", "босатылған", "exempt") say it in one word: they keep their
  own term and add the negation (see :func:`exempting`).

Usage::

    >>> sorted(negated(["кому", "не", "нужно", "разрешение"], "ru"))
    [1, 2]
    >>> sorted(negated(["who", "doesn", "t", "need", "a", "permit"], None))
    [1, 3]
"""

from __future__ import annotations

import functools

from .spelling import skeleton

NEGATION = "~not"
"""The term a negation becomes. Not a word of any language, so it only ever matches itself."""


def _skeletons(words: str) -> frozenset[str]:
    return frozenset(skeleton(w) for w in words.split())


# Words of need or obligation: the negation must be about one of them.
_RU_NEED = _skeletons(
    """
    нужно нужен нужна нужны надо требуется требуются требовалось необходимо необходим необходима
    необходимы обязательно обязан обязана обязаны должен должна должны придется придётся
    """
)
_RU_NOT = _skeletons("не")
_RU_MAY = _skeletons("можно может могут")
_KK_NEED = _skeletons("керек қажет міндетті тиіс")
_KK_NOT = _skeletons("емес")
_KK_NEED_NOUN = _skeletons("қажеті керегі қажеттілігі міндеті")
_KK_NONE = _skeletons("жоқ")
_EN_NOT = _skeletons("not dont doesnt isnt arent didnt wont neednt no")
_EN_NOT_STEM = _skeletons("don doesn isn aren didn won needn")  # "don't" folds to "don t"
_EN_NEED = _skeletons("need needed needs required require requires necessary have has obliged")
_EN_REACH = 3
"""An English negator counts when a word of need follows within this many words ("not
required", "don't have to", "no work permit needed")."""


# Each rule: the positions of one negated need starting at word `i` (the negator and the word
# of need it negates, which says nothing more once the negation is a term), or () if none.


def _ru(marks: list[str], i: int) -> tuple[int, ...]:
    if marks[i] not in _RU_NOT:
        return ()
    if i + 1 < len(marks) and marks[i + 1] in _RU_NEED:
        return (i, i + 1)
    return (i,) if i and marks[i - 1] in _RU_MAY else ()


def _kk(marks: list[str], i: int) -> tuple[int, ...]:
    if not i:
        return ()
    if (marks[i] in _KK_NOT and marks[i - 1] in _KK_NEED) or (
        marks[i] in _KK_NONE and marks[i - 1] in _KK_NEED_NOUN
    ):
        return (i - 1, i)
    return ()


def _en(marks: list[str], i: int) -> tuple[int, ...]:
    mark, after = marks[i], (marks[i + 1] if i + 1 < len(marks) else "")
    if mark in _EN_NOT_STEM and after == "t":
        start = i + 2
    elif mark in _EN_NOT:
        start = i + 1
    else:
        return ()
    for j in range(start, min(start + _EN_REACH, len(marks))):
        if marks[j] in _EN_NEED:
            return (i, j)
    return ()


# Words that mean "does not need" by themselves: the exemption vocabulary ("кто освобождён",
# "босатылған", "exempt"), compared as skeleton prefixes to take any ending.
_EXEMPT = {"ru": ("osvobo",), "kk": ("bosatil",), "en": ("ehempt",)}
_ALL_EXEMPT = tuple(p for prefixes in _EXEMPT.values() for p in prefixes)


def exempting(words: list[str], lang: str | None) -> bool:
    """Whether folded `words` contain a word that itself means "does not need" ("exempt",
    "освобождён", "босатылған"): the text then carries :data:`NEGATION` besides that word's own
    term, so "who is exempt" and "who does not need" meet."""
    prefixes = _ALL_EXEMPT if lang is None else _EXEMPT.get(lang, ())
    return any(skeleton(w).startswith(prefixes) for w in words)


_CUES = _RU_NOT | _KK_NOT | _KK_NONE | _EN_NOT | _EN_NOT_STEM


def is_cue(word: str) -> bool:
    """Whether folded `word` can start a negation or is an exemption word: a text with none of
    these has no negation, which spares the index build the rules for almost every text."""
    mark = skeleton(word)
    return mark in _CUES or mark.startswith(_ALL_EXEMPT)


_RULES = {"ru": (_ru,), "kk": (_kk,), "en": (_en,)}
_ALL_RULES = (_ru, _kk, _en)


@functools.lru_cache(maxsize=8192)
def _negated(words: tuple[str, ...], lang: str | None) -> frozenset[int]:
    rules = _ALL_RULES if lang is None else _RULES.get(lang, ())
    marks = [skeleton(w) for w in words]
    return frozenset(p for i in range(len(marks)) for rule in rules for p in rule(marks, i))


def negated(words: list[str], lang: str | None) -> set[int]:
    """Positions in folded `words` that say a negated need (the negator and the word of need);
    `lang` None (a query) tries every language's rules, which do not collide (Russian words of
    need are not Kazakh words)."""
    return set(_negated(tuple(words), lang))


__all__ = ["NEGATION", "exempting", "is_cue", "negated"]
