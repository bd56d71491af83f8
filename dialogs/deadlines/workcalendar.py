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
from datetime import date, timedelta
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
    # Holiday name by language ("kk", "en"), as the package gives it; empty for a plain weekend.
    names: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    # True when the package only estimates the date (Islamic holidays of future years).
    estimated: bool = False


class KzCalendar:
    """Working days in Kazakhstan; one instance can be shared (the package caches by year)."""

    def __init__(self) -> None:
        self._named = {
            lang: holidays.country_holidays(COUNTRY, language=package_lang)
            for lang, package_lang in PACKAGE_LANGUAGES.items()
        }
        self._unlabelled = holidays.country_holidays(
            COUNTRY, language="en_US", islamic_show_estimated=False
        )

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
        names = {lang: "; ".join(hols.get_list(day)) for lang, hols in self._named.items()}
        # The estimated label is the only difference between the two English instances.
        estimated = self._unlabelled.get(day) != self._any.get(day)
        return DayOff(day=day, kind="holiday", names=names, estimated=estimated)

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
