"""The Latin *skeleton* of a word: one spelling for the many ways people write the same sounds.

``anyascii`` turns any alphabet into Latin letters, then spelling variants are merged
(``sh``/``ş``→``s``, ``ch``/``ç``→``c``, ``zh``→``j``, ``kh``→``h``, ``q``→``k``,
``ya``/``ia``→``a``, ``y``→``i``, doubled letters once), so "razreshenie", "разрешение" and the
Kazakh Latin "ruqsat"/"рұқсат" land on the same string. Its own module because both the term
normalisation (``text.py``) and the negation rules (``negation.py``) compare words this way.

Usage::

    >>> skeleton("разрешение") == skeleton("razreshenie")
    True
"""

from __future__ import annotations

import functools
import re

from anyascii import anyascii

# Spelling variants of the same sound in the transliterations people use (and in anyascii's
# output), merged so that they compare equal. Longest first: the regex tries alternatives in order.
_SKELETON_RULES = {
    "shch": "s", "sch": "s", "sh": "s", "ch": "c", "zh": "j", "kh": "h", "ts": "c",
    "yu": "u", "iu": "u", "ya": "a", "ia": "a", "yo": "o",
    "ye": "e", "gh": "g", "q": "k", "x": "h", "w": "v", "y": "i",
}
_SKELETON_RE = re.compile("|".join(sorted(_SKELETON_RULES, key=len, reverse=True)))
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """The Latin skeleton of one folded word: spelling variants merged, doubled letters once."""
    latin = latin_letters(word)
    merged = _SKELETON_RE.sub(lambda m: _SKELETON_RULES[m.group(0)], latin)
    return _DOUBLED.sub(r"\1", merged)


def latin_letters(word: str) -> str:
    """`word` in plain Latin letters and digits, nothing merged (``как`` → ``kak``)."""
    return _NOT_ALNUM.sub("", anyascii(word).lower())
