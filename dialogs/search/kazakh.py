"""A light Kazakh stemmer: strips inflectional suffix chains so that "рұқсаттарымызды",
"рұқсаттың" and "рұқсат" meet on one term.

Snowball (PyStemmer) has no Kazakh, and no maintained Python package stems it, so this is the
usual light approach for agglutinative languages: remove the longest known ending from the end
of the word, again and again (personal ending, case, possessive, plural, a few verb forms), as
long as a root of :data:`MIN_ROOT` letters with a vowel remains and the ending can follow it.
The search uses it for query words (``text.query_term``). It works on *folded* words (Kazakh
letters already mapped to Russian ones by ``text.fold``), so "рұқсатыңыз" and "руксатыныз" lose
the same ending, and the harmony pairs (-лар/-лер, -ға/-ге…) largely collapse.

Left alone on purpose: -сыз/-сіз ("without": рұқсатсыз is not рұқсат), -шы/-ші (жұмысшы, the
worker, is not жұмыс, the work), and question particles (they are separate words, stop words).

    >>> stem("руксаттарымызды")  # рұқсаттарымызды, folded
    'руксат'
    >>> stem("азаматына")
    'азамат'
"""

from __future__ import annotations

import functools

# Shortest root kept: below it, endings and roots are too easily confused ("баға" is not баг + а).
MIN_ROOT = 4
# Rounds of stripping: personal ending, case, possessive, plural (and a verb form).
MAX_ROUNDS = 4

_VOWELS = frozenset("аеиоуыэюяё")

# Endings in folded spelling (ә→а, і→и, ң→н, ғ→г, қ→к, ө→о, ұ/ү→у), longest first within the
# whole list, so the longest ending that fits is taken.
_ENDINGS = """
    мын мин быз биз пыз пиз мыз миз сын син
    нын нин дын дин тын тин
    га ге ка ке на не а е
    ны ни ды ди ты ти
    да де та те нда нде
    дан ден тан тен нан нен
    мен бен пен
    ым им м ын ин ы и сы си
    ымыз имиз ыныз иниз ныз низ
    лар лер дар дер тар тер
    лык лик дык дик тык тик
    ган ген кан кен атын етин йтын йтин
    уге уга у ып ип
    амын емин ады еди йды йди
    сам сем сан сен сак сек са се
"""
_SUFFIXES = tuple(sorted(set(_ENDINGS.split()), key=lambda s: (-len(s), s)))


# Which root an ending can follow (Kazakh sound rules, enough to choose between readings):
# endings that start with a vowel, or with т/д (-ты, -да, -тар, -дан…), follow a consonant;
# -ны/-на (accusative and dative after a possessive), -сы (possessive) and -м follow a vowel.
# So "азаматы" is азамат + ы, not азама + ты, and "бағасы" is баға + сы.
_AFTER_VOWEL = frozenset({"ны", "ни", "на", "не", "сы", "си", "м"})


def _fits(root: str, suffix: str) -> bool:
    if len(root) < MIN_ROOT or not _VOWELS.intersection(root):
        return False
    last = root[-1]
    if suffix in _AFTER_VOWEL:
        return last in _VOWELS
    if suffix[0] in _VOWELS or suffix[0] in "тд":
        # у is also the consonant of -у verb nouns: істеу + ім, not істеуі + м.
        return last not in _VOWELS or last == "у"
    return True


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The root of a folded Kazakh word (the word itself when nothing can be stripped)."""
    for _ in range(MAX_ROUNDS):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and _fits(word[: -len(suffix)], suffix):
                word = word[: -len(suffix)]
                break
        else:
            return word
    return word
