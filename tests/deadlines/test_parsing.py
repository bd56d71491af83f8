"""Typed dates in ru, kk and en, invalid and implausible dates, and EAEU stay lists."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.deadlines import DeadlineInputError, Stay
from dialogs.deadlines.parsing import DateLimits, check_hire_year, parse_date, parse_stays

TODAY = date(2026, 11, 25)
MARCH_20 = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("20.03.2026", "ru"),
        ("2026-03-20", "en"),
        ("20/03/2026", "en"),
        ("20-03-2026", "kk"),
        ("20.03.26", "ru"),
        ("03/20/2026", "en"),  # only month first makes a date
        ("20 March 2026", "en"),
        ("March 20, 2026", "en"),
        ("20th of March 2026", "en"),
        ("20 Mar 2026", "en"),
        ("20 марта 2026", "ru"),
        ("20 марта 2026 г.", "ru"),
        ("20 март 2026", "ru"),
        ("20 мар. 2026", "ru"),
        ("20 наурыз 2026", "kk"),
        ("2026 ж. 20 наурыз", "kk"),
        ("2026 жылғы 20 наурыз", "kk"),
        ("20 наурыздан 2026", "kk"),
        ("2026 жылдың 20-сы наурыз", "kk"),
        ("20 nauryz 2026", "kk"),
        ("  20   МАРТА 2026 ", "ru"),
    ],
)
def test_typed_forms(text: str, lang: str) -> None:
    assert parse_date(text, lang, today=TODAY) == MARCH_20


@pytest.mark.parametrize(
    ("text", "lang", "month"),
    [
        ("5 қыркүйегі 2026", "kk", 9),  # k -> g before a vowel
        ("5 мамырда 2026", "kk", 5),
        ("5 сен 2026", "ru", 9),
        ("5 ноя 2026", "ru", 11),
        ("Sept 5 2026", "en", 9),
        ("5 мая 2026", "ru", 5),
        ("5 желтоқсан 2026", "kk", 12),
        ("5 qazan 2026", "kk", 10),
    ],
)
def test_month_spellings(text: str, lang: str, month: int) -> None:
    assert parse_date(text, lang, today=TODAY) == date(2026, month, 5)


@pytest.mark.parametrize(
    ("text", "lang"), [("20 March", "en"), ("20 марта", "ru"), ("20 наурыз", "kk"), ("20.03", "ru")]
)
def test_missing_year_means_the_next_such_date(text: str, lang: str) -> None:
    assert parse_date(text, lang, today=TODAY) == date(2027, 3, 20)
    assert parse_date(text, lang, today=TODAY, prefer="past") == MARCH_20


def test_missing_year_today_counts_as_next() -> None:
    assert parse_date("25 ноября", "ru", today=TODAY) == TODAY


def test_nearest_picks_the_closer_year() -> None:
    assert parse_date("1 декабря", "ru", today=TODAY, prefer="nearest") == date(2026, 12, 1)
    assert parse_date("1 ноября", "ru", today=TODAY, prefer="nearest") == date(2026, 11, 1)


def test_29_february_without_a_year_goes_to_a_leap_year() -> None:
    assert parse_date("29 февраля", "ru", today=TODAY) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("31.02.2026", "impossible_date"),
        ("29.02.2027", "impossible_date"),
        ("32 марта 2026", "impossible_date"),
        ("2026-13-01", "impossible_date"),
        ("31 апреля", "impossible_date"),
        ("завтра", "unrecognised"),
        ("20 марта и 5 мая", "unrecognised"),
        ("20 21 марта", "unrecognised"),
        ("hello world", "unrecognised"),
        ("20.03.1999", "too_far_past"),
        ("20.03.2040", "too_far_future"),
    ],
)
def test_bad_dates_have_a_reason_code(text: str, code: str) -> None:
    with pytest.raises(DeadlineInputError) as caught:
        parse_date(text, "ru", today=TODAY)
    assert caught.value.code == code


def test_plausibility_limits_are_configurable() -> None:
    strict = DateLimits(max_past_years=1, max_future_years=1)
    assert parse_date("01.12.2025", "ru", today=TODAY, limits=strict) == date(2025, 12, 1)
    with pytest.raises(DeadlineInputError) as caught:
        parse_date("20.11.2025", "ru", today=TODAY, limits=strict)
    assert caught.value.code == "too_far_past" and caught.value.params["years"] == 1
    with pytest.raises(DeadlineInputError):
        parse_date("01.01.2028", "ru", today=TODAY, limits=strict)


def test_stays() -> None:
    stays = parse_stays("2026-01-10:2026-02-20, 1 марта - 5 апреля; 2026-10-01:", "ru", today=TODAY)
    assert stays == (
        Stay(date(2026, 1, 10), date(2026, 2, 20)),
        Stay(date(2026, 3, 1), date(2026, 4, 5)),  # no year: the last such dates
        Stay(date(2026, 10, 1), None),
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2026-01-10", "bad_stay"),
        ("", "empty"),
        (":2026-01-10", "bad_stay"),
        ("2026-01-10:31.02.2026", "impossible_date"),
    ],
)
def test_bad_stays(text: str, code: str) -> None:
    with pytest.raises(DeadlineInputError) as caught:
        parse_stays(text, "en", today=TODAY)
    assert caught.value.code == code


def test_hire_year_range() -> None:
    assert check_hire_year(2028, today=TODAY) == 2028
    with pytest.raises(DeadlineInputError) as caught:
        check_hire_year(1990, today=TODAY)
    assert caught.value.code == "bad_year"
