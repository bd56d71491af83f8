"""Text normalisation shared by the FAQ index and the query, so both sides meet in one form.

A text becomes a list of *terms*:

1. ``rapidfuzz.utils.default_process``: lower case, punctuation to spaces (Unicode-aware);
2. ``ё→е`` and the Kazakh letters folded to their nearest Russian ones (ә→а, ғ→г, қ→к, ң→н,
   ө→о, ұ/ү→у, һ→х, і→и), because people type Kazakh without Kazakh letters;
3. stop words dropped (every language's list, folded the same way and also in Latin letters, so
   ``kak``, ``как`` and ``калай`` all go);
4. stemming with Snowball (PyStemmer): the Russian stemmer for Cyrillic words, the English one for
   Latin words. Snowball has no Kazakh: a Cyrillic query word also gets the root of the light
   Kazakh stemmer (``kazakh.py``) as one more alternative, and Kazakh words meet their suffixed
   forms through fuzzy matching and the prefix cut of step 7 too. The index keeps the FAQ's
   Kazakh words unstemmed: stemming both sides shifted the term weights and let more off-topic
   questions through (measured on the development set; see ``tests/search/test_kazakh.py``);
5. a Latin *skeleton* (``anyascii``, then spelling variants merged: ``sh``/``ş``→``s``,
   ``ch``/``ç``→``c``, ``zh``→``j``, ``kh``→``h``, ``q``→``k``, ``ya``/``ia``→``a``, ``y``→``i``,
   doubled letters once), so "razreshenie", "разрешение" and the Kazakh Latin "ruqsat"/"рұқсат"
   land on the same string;
6. a negated need ("не нужно", "керек емес", "does not need") becomes one term of its own, the
   same in every language (see ``negation.py``), because the words that say it are stop words;
7. a cut to :data:`MAX_TERM_LEN` characters: a crude but language-free way to make Kazakh suffix
   chains (рұқсат-тар-ды) meet their stem, measured on the development set (see bench).

Usage::

    >>> terms("Скока действует разрешение?")
    ['deistv', 'razresen']
    >>> terms("razreshenie na rabotu")
    ['razreseni', 'rabotu']
    >>> terms("кому не нужно разрешение")
    ['~not', 'razresen']
"""

from __future__ import annotations

import functools
import re

import Stemmer
from rapidfuzz.utils import default_process

from . import kazakh
from .negation import NEGATION, exempting, negated
from .spelling import latin_letters as _latin
from .spelling import skeleton
from .stopwords import STOP_WORDS

MAX_TERM_LEN = 9

_FOLD = str.maketrans("ёәғқңөұүһі", "еагкноуухи")
_FOLDABLE = re.compile("[ёәғқңөұүһі]")

_CYRILLIC = re.compile(r"[а-я]")

_RU_STEMMER = Stemmer.Stemmer("russian")
_EN_STEMMER = Stemmer.Stemmer("english")


_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
"""Soft hyphens, zero-width spaces and joiners, direction marks, word joiners, BOM: characters
that show nothing but would split or change a word ("wo\u200brk per\u200dmit")."""


def fold(text: str) -> str:
    """Lower case, punctuation to spaces, ё→е, Kazakh letters to Russian ones; invisible
    characters inside words dropped."""
    processed = default_process(_INVISIBLE.sub("", text))
    # translate() looks every character up; most Russian and English texts have nothing to fold.
    return processed.translate(_FOLD) if _FOLDABLE.search(processed) else processed


def _stop_forms() -> frozenset[str]:
    """Stop words as folded Cyrillic and as plain Latin (``как``, ``kak``).

    Not as skeletons: merging spellings would make real words vanish ("IIN" → "in").
    """
    forms = set()
    for lang_words in STOP_WORDS.values():
        for word in lang_words:
            for part in fold(word).split():
                forms.update((part, _latin(part)))
    forms.discard("")
    return frozenset(forms)


STOP_FORMS = _stop_forms()


def _stemmed(word: str, stemmer: Stemmer.Stemmer | None) -> str:
    stem = stemmer.stemWord(word) if stemmer else word
    return skeleton(stem)[:MAX_TERM_LEN]


def _is_stop(word: str) -> bool:
    return word in STOP_FORMS or _latin(word) in STOP_FORMS


@functools.lru_cache(maxsize=65536)
def index_term(word: str, lang: str) -> str:
    """The term of one folded word of a text known to be in `lang` ("" for a stop word).

    Only Russian words get the Russian stemmer and English words the English one: the Russian
    stemmer would cut Kazakh words at random ("ресей" → "рес").
    """
    if _is_stop(word):
        return ""
    cyrillic = bool(_CYRILLIC.search(word))
    if lang == "ru" and cyrillic:
        return _stemmed(word, _RU_STEMMER)
    if lang == "en" and not cyrillic:
        return _stemmed(word, _EN_STEMMER)
    return _stemmed(word, None)


@functools.lru_cache(maxsize=65536)
def query_term(word: str) -> tuple[str, ...]:
    """The possible terms of one folded query word, whose language is unknown: stemmed by its
    alphabet's stemmer, and not stemmed (a Kazakh word, or Russian typed in Latin letters)."""
    if _is_stop(word):
        return ()
    if _CYRILLIC.search(word):
        forms = (_stemmed(word, _RU_STEMMER), _stemmed(word, None),
                 _stemmed(kazakh.stem(word), None))
    else:
        forms = (_stemmed(word, _EN_STEMMER), _stemmed(word, None))
    return tuple(dict.fromkeys(forms))


def index_terms(text: str, lang: str) -> list[str]:
    """The terms of a knowledge-base text in `lang`, in order, stop words removed; a negated need
    ("не нужно", "керек емес", "does not need") becomes :data:`~.negation.NEGATION`."""
    words = fold(text).split()
    negations = negated(words, lang)
    terms_ = [NEGATION if i in negations else index_term(w, lang) for i, w in enumerate(words)]
    if exempting(words, lang):
        terms_.append(NEGATION)
    return list(dict.fromkeys(t for t in terms_ if t))


def query_terms(text: str) -> list[tuple[str, ...]]:
    """The terms of a query, each as its alternatives (see :func:`query_term`), duplicates out;
    a negated need in any language becomes the single alternative ``(NEGATION,)``."""
    words = fold(text).split()
    negations = negated(words, None)
    found = [(NEGATION,) if i in negations else query_term(w) for i, w in enumerate(words)]
    if exempting(words, None):
        found.append((NEGATION,))
    return list(dict.fromkeys(alts for alts in found if alts))


def terms(text: str) -> list[str]:
    """The main term of each query word: for display and debugging."""
    return [alternatives[0] for alternatives in query_terms(text)]


def plain_form(text: str) -> str:
    """The whole text as one skeleton string, nothing removed: for small talk ("как дела")."""
    return " ".join(s for s in map(skeleton, fold(text).split()) if s)
