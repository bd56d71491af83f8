"""Holiday names that need a Russian translation, marked for `pybabel extract`.

The `holidays` package names Kazakhstan's holidays in Kazakh and English only. The formatter
shows its Kazakh and English names as they are and looks the English name up in the gettext
catalogue for Russian. This module only *marks* those English names (``N_`` is one of Babel's
default extraction keywords) so they reach the catalogue; the dates still come from the package.
A test checks that every name the package gives for recent and coming years is listed here.
"""

from __future__ import annotations


def N_(message: str) -> str:  # the conventional gettext "mark only" name
    """Mark a string for extraction without translating it here."""
    return message


HOLIDAY_NAMES = (
    N_("New Year's Day"),
    N_("Orthodox Christmas"),
    N_("International Women's Day"),
    N_("Nowruz Holiday"),
    N_("Kazakhstan's People Solidarity Holiday"),
    N_("Defender of the Fatherland Day"),
    N_("Victory Day"),
    N_("Capital Day"),
    N_("Constitution Day"),
    N_("Republic Day"),
    N_("Independence Day"),
    N_("Eid al-Adha"),
    N_("First President Day"),
    N_("Day off"),
)
