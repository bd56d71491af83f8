"""Typed dates in ru, kk and en, and lists of EAEU stays, turned into :class:`datetime.date`.

Accepted forms: ``20.03.2026``, ``20/03/2026``, ``20-03-2026``, ``20.03.26``, ``20.03``,
``2026-03-20``, ``20 March [2026]``, ``March 20, 2026``, ``20 марта [2026 г.]``, ``20 март``,
``20 наурыз``, ``2026 ж. 20 наурыз`` (Babel's own Kazakh form), Kazakh case endings
(``20 наурыздан``, ``наурыздың 20-сы``), abbreviations (``20 мар.``, ``20 сен``, ``Sept 20``) and
month names typed in Latin letters (``20 nauryz``, ``20 marta``). Numbers are read day first, as
in Kazakhstan; ``03/20/2026`` is read month first only because day first cannot be a date.
Month names come from Babel's CLDR data for the three languages, not from a list here.

A date without a year is the next such date from ``today`` (``prefer="future"``, the default),
the last one (``"past"``, for a date of entry) or the closer of the two (``"nearest"``).

Usage::

    parse_date("20 марта", "ru", today=date(2026, 11, 25))               # 2027-03-20
    parse_date("20 наурыз", "kk", today=date(2026, 11, 25), prefer="past")  # 2026-03-20
    parse_stays("2026-01-10:2026-02-20, 2026-03-01:", "en", today=...)     # two Stay objects
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from anyascii import anyascii
from babel.dates import get_month_names
from dateutil.relativedelta import relativedelta

from dialogs.deadlines.errors import DeadlineInputError
from dialogs.deadlines.results import Stay

LANGUAGES = ("ru", "kk", "en")
Prefer = Literal["future", "past", "nearest"]

# Words that may stand next to a date without changing it: year markers (г., года, ж., жылы),
# Kazakh ordinal endings split off by a hyphen (20-сы), English ordinals and fillers.
_FILLER_WORDS = frozenset(
    {
        *("г", "гг", "год", "года", "году", "в"),  # ru
        *("ж", "жыл", "жылы", "жылғы", "жылдың", "zh", "zhyl", "zhyly"),  # kk year markers
        *("сы", "сі", "шы", "ші", "ы", "і"),  # kk ordinal endings: 20-сы, 5-і
        *("of", "the", "on", "st", "nd", "rd", "th"),  # en
    }
)

_ISO = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})([./-])(\d{1,2})(?:\2(\d{4}|\d{2}))?\.?")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")


@dataclass(frozen=True)
class DateLimits:
    """How far from today a typed date may be before it is called implausible."""

    max_past_years: int = 2
    max_future_years: int = 5


def _fold(word: str) -> str:
    """Fold a word to plain Latin so that ``nauryz``, ``kantar`` and ``марта`` all match."""
    return anyascii(word).lower().replace("'", "").replace("q", "k")


@functools.cache
def _month_names() -> tuple[tuple[str, dict[str, int], dict[str, int]], ...]:
    """Per language: (lang, every month spelling -> month, wide spellings -> month).

    Every spelling is stored twice: lower-cased as CLDR writes it and folded to Latin.
    """
    table = []
    for lang in LANGUAGES:
        every: dict[str, int] = {}
        wide: dict[str, int] = {}
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for month, name in get_month_names(width, context=context, locale=lang).items():
                    for form in {name.lower().rstrip("."), _fold(name).rstrip(".")}:
                        every[form] = month
                        if width == "wide":
                            wide[form] = month
        table.append((lang, every, wide))
    return tuple(table)


def _match_month_in(word: str, every: dict[str, int], wide: dict[str, int]) -> int | None:
    if word in every:
        return every[word]
    # A wide name with an ending: наурыздан, мамырда, қазанның.
    stems = [name for name in wide if len(name) >= 3 and word.startswith(name)]
    # Kazakh k/q/p at the end of a stem voices before a vowel: қыркүйек -> қыркүйегі.
    stems += [
        name
        for name in wide
        if len(name) >= 5 and name[-1] in "кқпkp" and word.startswith(name[:-1])
    ]
    if stems:
        return wide[max(stems, key=len)]
    # A shortening nobody listed: сен, ноя, sept. It must point to one month only.
    if len(word) >= 3:
        months = {month for name, month in wide.items() if name.startswith(word)}
        if len(months) == 1:
            return months.pop()
    return None


def match_month(word: str, lang: str) -> int | None:
    """Return the month a word names (1-12), trying ``lang`` first, or None."""
    word = word.lower()
    ordered = sorted(_month_names(), key=lambda entry: entry[0] != lang)
    for candidate in (word, _fold(word)):
        for _lang, every, wide in ordered:
            month = _match_month_in(candidate, every, wide)
            if month is not None:
                return month
    return None


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DeadlineInputError("impossible_date", text) from None


def _full_year(year_text: str) -> int:
    year = int(year_text)
    return 2000 + year if len(year_text) == 2 else year


def _without_year(month: int, day: int, text: str, today: date, prefer: Prefer) -> date:
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise DeadlineInputError("impossible_date", text)
    # 29 February exists only in leap years, so look a few years either way.
    candidates = []
    for year in range(today.year - 8, today.year + 9):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise DeadlineInputError("impossible_date", text)
    after = [day_ for day_ in candidates if day_ >= today]
    before = [day_ for day_ in candidates if day_ <= today]
    if prefer == "future" or not before:
        return min(after)
    if prefer == "past" or not after:
        return max(before)
    return min((min(after), max(before)), key=lambda day_: abs((day_ - today).days))


def _parse_numeric(text: str, today: date, prefer: Prefer) -> date | None:
    if match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        return _make_date(year, month, day, text)
    match = _DAY_FIRST.fullmatch(text)
    if not match:
        return None
    first, separator, second, year_text = match.groups()
    day, month = int(first), int(second)
    if year_text is None:
        return _without_year(month, day, text, today, prefer)
    year = _full_year(year_text)
    # 03/20/2026 cannot be day first; read it month first rather than refuse it.
    if separator == "/" and month > 12 and 1 <= day <= 12:
        day, month = month, day
    return _make_date(year, month, day, text)


def _parse_words(text: str, lang: str, today: date, prefer: Prefer) -> date | None:
    months: list[int] = []
    numbers: list[str] = []
    for token in _TOKEN.findall(text.lower()):
        if token.isdigit():
            numbers.append(token)
        elif (month := match_month(token, lang)) is not None:
            months.append(month)
        elif token not in _FILLER_WORDS and _fold(token) not in _FILLER_WORDS:
            return None
    if len(months) != 1:
        return None
    years = [number for number in numbers if len(number) == 4]
    days = [number for number in numbers if len(number) <= 2]
    if len(years) > 1 or len(days) != 1 or len(years) + len(days) != len(numbers):
        return None
    month, day = months[0], int(days[0])
    if not years:
        return _without_year(month, day, text, today, prefer)
    return _make_date(int(years[0]), month, day, text)


def check_plausible(value: date, text: str, today: date, limits: DateLimits) -> date:
    """Return ``value`` or raise when it is too far from ``today`` to be meant."""
    if value < today - relativedelta(years=limits.max_past_years):
        raise DeadlineInputError("too_far_past", text, years=limits.max_past_years)
    if value > today + relativedelta(years=limits.max_future_years):
        raise DeadlineInputError("too_far_future", text, years=limits.max_future_years)
    return value


def parse_date(
    text: str,
    lang: str,
    *,
    today: date,
    prefer: Prefer = "future",
    limits: DateLimits = DateLimits(),  # frozen, so one shared default is safe
) -> date:
    """Read a date typed by a user; raise :class:`DeadlineInputError` with a reason code."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise DeadlineInputError("empty", text)
    value = _parse_numeric(cleaned, today, prefer)
    if value is None:
        value = _parse_words(cleaned, lang, today, prefer)
    if value is None:
        raise DeadlineInputError("unrecognised", text)
    return check_plausible(value, text, today, limits)


# Between the two dates of a stay: a colon, a dash with spaces around it, an en or em dash, "..",
# or a plain hyphen right after a dotted date ("10.01.2026-20.02.2026", as people type it; an ISO
# date's own hyphens are never split because they follow digits, not a 2- or 4-digit year + dot).
_STAY_SPLIT = re.compile(r"\s*(?::|–|—|\s-\s|\.\.|(?<=\d\.\d\d\d\d)-|(?<=\d\.\d\d)-)\s*")


def _split_stays(text: str) -> Iterable[str]:
    return (part.strip() for part in re.split(r"[,;\n]", text) if part.strip())


def parse_stays(
    text: str,
    lang: str,
    *,
    today: date,
    limits: DateLimits = DateLimits(),
) -> tuple[Stay, ...]:
    """Read stays such as ``2026-01-10:2026-02-20, 2026-03-01:`` (an empty exit: still here)."""
    stays = []
    for part in _split_stays(text):
        pieces = _STAY_SPLIT.split(part, maxsplit=1)
        if len(pieces) != 2 or not pieces[0]:
            raise DeadlineInputError("bad_stay", part)
        entry = parse_date(pieces[0], lang, today=today, prefer="past", limits=limits)
        exit_ = None
        if pieces[1]:
            exit_ = parse_date(pieces[1], lang, today=today, prefer="past", limits=limits)
        stays.append(Stay(entry=entry, exit=exit_))
    if not stays:
        raise DeadlineInputError("empty", text)
    return tuple(stays)


# Which way a date without a year leans, per calculator: an entry or a notice is recent or
# about to happen, an expiry lies ahead, stays lie behind.
PREFER_BY_CALCULATOR: dict[str, Prefer] = {
    "arrival": "nearest",
    "fee": "nearest",
    "renewal": "future",
    "eaeu": "past",
}


def check_hire_year(
    year: int,
    *,
    today: date,
    limits: DateLimits = DateLimits(),  # frozen, so one shared default is safe
) -> int:
    """Return a quota hiring year, or raise ``bad_year`` when it is too far from today."""
    if not today.year - limits.max_past_years <= year <= today.year + limits.max_future_years:
        raise DeadlineInputError("bad_year", str(year))
    return year
