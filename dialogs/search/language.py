"""Which language a query is written in: ru, kk or en, whatever the alphabet.

The evidence is the words themselves: every word of the knowledge base's texts and every stop word
is known, as a Latin skeleton (see ``text.py``), for the languages it occurs in. So "razreshenie na
rabotu" reads as Russian and "jumyska ruksat" as Kazakh although both are typed in Latin letters.
Kazakh-only letters (ә, ғ, қ, ң, ө, ұ, ү, һ, і, or the Kazakh Latin ä, ğ, ñ, ö, ū, ü, ı, ş)
settle it at once. A word found in several languages counts for each a share; the guess must be
strictly ahead, otherwise the language is unclear ("квота" is both Russian and Kazakh).

Usage::

    guesser = LanguageGuesser.build({"ru": ["разрешение на работу"], "kk": [...], "en": [...]})
    guesser.guess("razreshenie")   # 'ru'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .stopwords import STOP_WORDS
from .text import fold, skeleton

_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіäğñöūüış]")
_CYRILLIC = re.compile(r"[а-яё]")
_LATIN = re.compile(r"[a-z]")


@dataclass(frozen=True)
class LanguageGuesser:
    languages: tuple[str, ...]
    words: Mapping[str, frozenset[str]]  # skeleton -> languages it occurs in

    @classmethod
    def build(cls, texts_by_lang: Mapping[str, Iterable[str]]) -> LanguageGuesser:
        """From texts known to be in each language (the knowledge base's) and the stop words."""
        return cls.from_words(
            {lang: {w for text in texts for w in fold(text).split()}
             for lang, texts in texts_by_lang.items()}
        )

    @classmethod
    def from_words(cls, words_by_lang: Mapping[str, Iterable[str]]) -> LanguageGuesser:
        """From folded words known to be in each language, plus the stop words."""
        words: dict[str, set[str]] = {}
        for lang, folded in words_by_lang.items():
            stop = {w for text in STOP_WORDS.get(lang, ()) for w in fold(text).split()}
            for word in {*folded, *stop}:
                words.setdefault(skeleton(word), set()).add(lang)
        words.pop("", None)
        return cls(tuple(words_by_lang), {w: frozenset(ls) for w, ls in words.items()})

    def scores(self, text: str) -> dict[str, float]:
        """Votes per language among those the alphabet allows."""
        lowered = text.lower()
        allowed = set(self.languages)
        if _CYRILLIC.search(lowered) and not _LATIN.search(lowered):
            allowed.discard("en")
        votes = dict.fromkeys(sorted(allowed), 0.0)
        if "kk" in votes and _KAZAKH_LETTERS.search(lowered):
            votes["kk"] += 100.0
        for word in fold(text).split():
            langs = [lang for lang in self.words.get(skeleton(word), ()) if lang in votes]
            for lang in langs:
                votes[lang] += 1.0 / len(langs)
        return votes

    def candidates(self, text: str) -> set[str]:
        """The languages tied for the most votes (all allowed ones when nothing is known)."""
        votes = self.scores(text)
        top = max(votes.values(), default=0.0)
        return {lang for lang, v in votes.items() if v == top}

    def guess(self, text: str) -> str | None:
        """The language clearly ahead, or None."""
        found = self.candidates(text)
        return next(iter(found)) if len(found) == 1 else None
