"""Wrong keyboard layout: text typed with the English layout while meaning Russian, and back.

"rdjnf" is "квота" typed on a QWERTY layout; "цщкл зуяьше" is "work permit" typed on ЙЦУКЕН.
The map is data: the standard Russian ЙЦУКЕН layout over US QWERTY, key by key. Kazakh layouts put
Kazakh letters on the digit row, so a Kazakh word typed on QWERTY is mostly the Russian mapping too.

Usage::

    >>> swap_layout("rdjnf")
    'квота'
    >>> swap_layout("цщкл")
    'work'
"""

from __future__ import annotations

_QWERTY = "`qwertyuiop[]asdfghjkl;'zxcvbnm,./" + '~QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?'
_JCUKEN = "ёйцукенгшщзхъфывапролджэячсмитьбю." + "ЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,"

_EN_TO_RU = str.maketrans(_QWERTY, _JCUKEN)
_RU_TO_EN = str.maketrans(_JCUKEN, _QWERTY)


def swap_layout(text: str) -> str:
    """Re-type `text` on the other layout: Latin keys become Russian letters and the reverse.

    Only the direction that matches the text's letters is applied: a text with any Cyrillic letter
    is mapped ЙЦУКЕН→QWERTY, otherwise QWERTY→ЙЦУКЕН. Characters off the map stay as they are.
    """
    if any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in text):
        return text.translate(_RU_TO_EN)
    return text.translate(_EN_TO_RU)
