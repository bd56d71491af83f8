"""Kazakhstan's working days as the `holidays` package gives them."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.deadlines import KzCalendar
from dialogs.deadlines.holiday_names import HOLIDAY_NAMES


@pytest.fixture(scope="module")
def calendar() -> KzCalendar:
    return KzCalendar()


@pytest.mark.parametrize("day", [21, 22, 23, 24, 25])
def test_nauryz_2026_is_off_from_21_to_25_march(calendar: KzCalendar, day: int) -> None:
    off = calendar.day_off(date(2026, 3, day))
    assert off is not None and off.kind == "holiday"
    assert off.names == {"kk": "Наурыз мейрамы", "en": "Nowruz Holiday"}


def test_nauryz_days_moved_off_the_weekend_are_marked_observed(calendar: KzCalendar) -> None:
    assert calendar.day_off(date(2026, 3, 24)).observed
    assert not calendar.day_off(date(2026, 3, 23)).observed


def test_working_days_around_holidays(calendar: KzCalendar) -> None:
    assert calendar.is_working_day(date(2026, 3, 20))  # Friday before Nauryz
    assert calendar.is_working_day(date(2026, 3, 26))
    assert not calendar.is_working_day(date(2026, 12, 16))  # Independence Day
    assert calendar.day_off(date(2026, 3, 28)).kind == "weekend"


def test_decreed_transfer_makes_a_sunday_a_working_day(calendar: KzCalendar) -> None:
    # 2025: the day off of Sunday 5 January was moved to Friday 3 January.
    assert calendar.is_working_day(date(2025, 1, 5))
    moved = calendar.day_off(date(2025, 1, 3))
    assert moved.moved_from == date(2025, 1, 5)
    assert moved.names["en"] == "Day off"


def test_estimated_islamic_holiday_is_flagged(calendar: KzCalendar) -> None:
    eid = calendar.day_off(date(2026, 5, 27))
    assert eid.estimated and eid.names["en"] == "Eid al-Adha"


def test_add_working_days_does_not_count_the_start_day(calendar: KzCalendar) -> None:
    due, skipped = calendar.add_working_days(date(2026, 4, 6), 1)  # a Monday
    assert due == date(2026, 4, 7) and skipped == ()
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 4, 6), 0)


def test_years_without_transfers_follow_the_package(calendar: KzCalendar) -> None:
    known = calendar.transfers_known_until
    assert known >= 2025
    assert calendar.years_without_transfers(date(known, 12, 1), date(known + 1, 1, 31)) == (
        known + 1,
    )


def test_every_package_holiday_name_is_marked_for_translation(calendar: KzCalendar) -> None:
    names = set()
    for off in calendar.days_off_between(date(2024, 1, 1), date(2030, 12, 31)):
        names.update(off.names.get("en", "").split("; ") if off.kind == "holiday" else ())
    assert names, "the package returned no holidays"
    assert names <= set(HOLIDAY_NAMES), names - set(HOLIDAY_NAMES)
