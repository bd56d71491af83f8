"""Kazakhstan local date: UTC+5 everywhere since 1 March 2024."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from dialogs.deadlines import now_kz, today_kz


def test_evening_in_utc_is_next_day_in_kazakhstan() -> None:
    assert today_kz(datetime(2026, 3, 20, 19, 30, tzinfo=UTC)) == date(2026, 3, 21)
    assert today_kz(datetime(2026, 3, 20, 18, 59, tzinfo=UTC)) == date(2026, 3, 20)


def test_naive_time_is_taken_as_utc() -> None:
    assert today_kz(datetime(2026, 3, 20, 19, 30)) == date(2026, 3, 21)


def test_single_zone_is_utc_plus_five_since_march_2024() -> None:
    assert now_kz(datetime(2024, 3, 2, tzinfo=UTC)).utcoffset() == timedelta(hours=5)
    # Almaty was UTC+6 before the change; the tzdata rules must know both.
    assert now_kz(datetime(2024, 2, 1, tzinfo=UTC)).utcoffset() == timedelta(hours=6)


def test_default_is_the_current_instant() -> None:
    assert abs((today_kz() - datetime.now(UTC).date()).days) <= 1
