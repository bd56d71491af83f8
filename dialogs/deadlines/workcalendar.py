"""Kazakhstan's business-day calendar, from the `holidays` package (country ``KZ``).

A working day is a day the package calls one: Monday to Friday unless it is a public holiday or
a day off moved onto a weekday, plus a Saturday or Sunday that a government decree turned into a
working day (``weekend_workdays``). No holiday is written by hand here.

What the package knows (holidays 0.109, checked on 2026-11-25): the public holidays with their
"observed" days (a holiday on a weekend moves to the next working day, so Nauryz 2026 is off from
21 to 25 March) and the decreed transfers up to 2025. It has **no** transfers for 2026 or later,
and Eid al-Adha (Құрбан айт) after 2025 is an estimate, which :class:`DayOff` flags.

Usage::

    from dialogs.deadlines.workcalendar import KzCalendar
    calendar = KzCalendar()
    due, skipped = calendar.add_working_days(date(2026, 3, 20), 3)   # 2026-03-30, 21-29 March
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

import holidays

COUNTRY = "KZ"
# The package's names come in Kazakh and US English; Russian names go through gettext.
PACKAGE_LANGUAGES = {"kk": "kk", "en": "en_US"}


@dataclass(frozen=True)
class DayOff:
    """A non-working day met while counting: a weekend or a (possibly moved) holiday."""

    day: date
    kind: Literal["weekend", "holiday"]
    # Holiday name by language ("kk", "en") as the package gives it, without its labels
    # ("observed", "estimated"); empty for a plain weekend.
    names: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    # True when the holiday fell on a weekend and this is the day off that replaces it.
    observed: bool = False
    # True when the package only estimates the date (Islamic holidays of future years).
    estimated: bool = False
    # For a day off moved by decree ("Day off (substituted from ...)"): the day it came from.
    moved_from: date | None = None


@dataclass(frozen=True)
class _Name:
    """One holiday name split into its base and its labels."""

    base: str
    observed: bool = False
    estimated: bool = False
    moved_from: date | None = None


@dataclass(frozen=True)
class _Labels:
    """The package's name templates in one language, to split a name into base and labels."""

    observed: str
    estimated: str
    observed_estimated: str
    substituted: str
    substituted_date_format: str

    @classmethod
    def of(cls, hols: holidays.HolidayBase) -> _Labels:
        return cls(
            *(
                hols.tr(getattr(hols, name))
                for name in (
                    "observed_label",
                    "estimated_label",
                    "observed_estimated_label",
                    "substituted_label",
                    "substituted_date_format",
                )
            )
        )

    def split(self, name: str) -> _Name:
        """Split one holiday name into its base and what its labels say."""
        for template, observed, estimated in (
            (self.observed_estimated, True, True),
            (self.observed, True, False),
            (self.estimated, False, True),
        ):
            base = _unwrap(template, name)
            if base is not None:
                return _Name(base, observed=observed, estimated=estimated)
        moved_from = _unwrap(self.substituted, name)
        if moved_from is not None:
            try:
                when = datetime.strptime(moved_from, self.substituted_date_format).date()
            except ValueError:
                return _Name(name)
            return _Name(_unwrap(self.substituted, name, keep="prefix") or name, moved_from=when)
        return _Name(name)


def _unwrap(template: str, name: str, keep: str = "inside") -> str | None:
    """Match ``name`` against a ``%s`` template; return the ``%s`` part (or the text before it)."""
    prefix, _, suffix = template.partition("%s")
    if not (name.startswith(prefix) and name.endswith(suffix)) or len(name) <= len(prefix + suffix):
        return None
    if keep == "prefix":
        # "Day off (substituted from %s)" -> "Day off": the words before the parenthesis.
        return prefix.split("(")[0].strip()
    return name[len(prefix) : len(name) - len(suffix)]


class KzCalendar:
    """Working days in Kazakhstan; one instance can be shared (the package caches by year)."""

    def __init__(self) -> None:
        self._named = {
            lang: holidays.country_holidays(COUNTRY, language=package_lang)
            for lang, package_lang in PACKAGE_LANGUAGES.items()
        }
        self._labels = {lang: _Labels.of(hols) for lang, hols in self._named.items()}

    @property
    def _any(self) -> holidays.HolidayBase:
        return self._named["en"]

    def is_working_day(self, day: date) -> bool:
        """Return True when ``day`` is a working day in Kazakhstan."""
        return self._any.is_working_day(day)

    def day_off(self, day: date) -> DayOff | None:
        """Describe ``day`` when it is not a working day, else return None."""
        if self.is_working_day(day):
            return None
        if day not in self._any:
            return DayOff(day=day, kind="weekend")
        split = {
            lang: [self._labels[lang].split(name) for name in hols.get_list(day)]
            for lang, hols in self._named.items()
        }
        # Two holidays on one day are rare; they are shown together.
        names = {lang: "; ".join(part.base for part in parts) for lang, parts in split.items()}
        english = split["en"]
        observed = any(part.observed for part in english)
        estimated = any(part.estimated for part in english)
        moved_from = next((part.moved_from for part in english if part.moved_from), None)
        return DayOff(
            day=day,
            kind="holiday",
            names=names,
            observed=observed,
            estimated=estimated,
            moved_from=moved_from,
        )

    def add_working_days(self, start: date, count: int) -> tuple[date, tuple[DayOff, ...]]:
        """Return the ``count``-th working day after ``start`` and the days off skipped on the way.

        ``start`` itself is never counted: a period "within N working days of an event" begins
        the day after the event.
        """
        if count < 1:
            raise ValueError(f"count must be at least 1, got {count}")
        day, counted, skipped = start, 0, []
        while counted < count:
            day += timedelta(days=1)
            off = self.day_off(day)
            if off is None:
                counted += 1
            else:
                skipped.append(off)
        return day, tuple(skipped)

    @property
    def transfers_known_until(self) -> int:
        """Return the last year for which the package lists decreed transfers of days off."""
        years = [
            *getattr(self._any, "special_public_holidays", {}),
            *(day.year for day in getattr(self._any, "weekend_workdays", ())),
        ]
        return max(years, default=0)

    def years_without_transfers(self, first: date, last: date) -> tuple[int, ...]:
        """Return the years from ``first`` to ``last`` whose transfers the package lacks.

        Kazakhstan's government moves days off by decree each year; a later decree may change
        a count in these years, so results mention them.
        """
        known = self.transfers_known_until
        return tuple(year for year in range(first.year, last.year + 1) if year > known)

    def working_day_on_or_before(self, day: date) -> date:
        """Return ``day`` if it is a working day, else the last working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def days_off_between(self, first: date, last: date) -> tuple[DayOff, ...]:
        """Return the non-working days from ``first`` to ``last``, both included."""
        days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
        return tuple(off for day in days if (off := self.day_off(day)) is not None)


@functools.cache
def default_calendar() -> KzCalendar:
    """Return a shared calendar (building one loads the package's tables once)."""
    return KzCalendar()
