"""Results and errors as text: Babel dates in each language, holiday names, how it was counted."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dialogs.deadlines import (
    DeadlineInputError,
    DeadlineRules,
    Stay,
    arrival_deadline,
    eaeu_stay,
    quota_deadline,
    renewal_window,
)
from dialogs.deadlines.format import describe_error, format_day, format_result, format_span
from dialogs.deadlines.parsing import parse_date


def plain(text: str) -> str:
    """Babel (CLDR) puts narrow and thin no-break spaces in dates, and its releases differ in
    the dash of a range ("21–25 мар." in CLDR 46, "21—25 марта" in 47) and in abbreviating the
    month: compare with plain spaces and "-", and match the month by its first letters."""
    text = re.sub(r"[\u00a0\u2009\u202f]", " ", text)
    return re.sub(r" ?[\u2013\u2014] ?", "-", text)


def month(stem: str) -> str:
    """A pattern for a month name, full or abbreviated (``мар`` matches "мар." and "марта")."""
    return re.escape(stem) + r"[^\s:]*"


@pytest.mark.parametrize(
    ("lang", "due", "nauryz"),
    [
        ("ru", "30 марта 2026", f"21-25 {month('мар')}"),
        ("kk", "2026 ж. 30 наурыз", f"21-25 {month('нау')}: Наурыз мейрамы"),
        ("en", "30 March 2026", f"21-25 {month('Mar')}: Nowruz Holiday"),
    ],
)
def test_arrival_text_says_how_it_was_counted(
    rules: DeadlineRules, today: date, lang: str, due: str, nauryz: str
) -> None:
    text = plain(format_result(arrival_deadline(date(2026, 3, 20), rules, today), lang))
    assert due in text and re.search(nauryz, text), text
    assert plain(format_day(date(2026, 3, 20), lang)) in text  # the entry date is named
    assert "2026" in text.splitlines()[-1]  # the package has no 2026 transfers: said so
    assert ".." not in text


def test_dates_follow_babel(today: date) -> None:
    assert plain(format_day(date(2026, 3, 20), "ru")) == "20 марта 2026 г."
    assert plain(format_day(date(2026, 3, 20), "kk")) == "2026 ж. 20 наурыз"
    assert format_span(date(2026, 12, 16), date(2026, 12, 16), "en") == "16 December"
    assert re.fullmatch(f"21-25 {month('мар')}",
                        plain(format_span(date(2026, 3, 21), date(2026, 3, 25), "ru")))


def test_consecutive_days_off_are_grouped(rules: DeadlineRules, today: date) -> None:
    text = plain(format_result(arrival_deadline(date(2026, 3, 20), rules, today), "en"))
    counted_line = next(line for line in text.splitlines() if "Nowruz" in line)
    assert counted_line.count("Nowruz") == 1 and re.search(
        f"28-29 {month('Mar')}: weekend", counted_line)


def test_estimated_holiday_is_marked(rules: DeadlineRules, today: date) -> None:
    text = format_result(arrival_deadline(date(2026, 5, 26), rules, today), "en")
    assert "Eid al-Adha (date estimated)" in text


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_every_result_renders(rules: DeadlineRules, today: date, lang: str) -> None:
    results = [
        renewal_window(date(2026, 12, 1), rules, today),
        quota_deadline(rules, today),
        eaeu_stay([Stay(date(2026, 10, 1), date(2026, 10, 20))], rules, today),
        eaeu_stay([Stay(date(2026, 8, 1))], rules, today),
    ]
    texts = [format_result(result, lang) for result in results]
    assert format_day(date(2026, 10, 30), lang, "full") in texts[0]  # Sunday -> Friday
    assert format_day(date(2027, 8, 1), lang) in texts[1]
    assert "20" in texts[2] and format_day(date(2027, 2, 2), lang, "full") in texts[2]
    assert "27" in texts[3]  # over the limit by 27 days
    assert all(".." not in text for text in texts)


@pytest.mark.parametrize("text", ["", "foo", "31.02.2026", "20.03.2000", "20.03.2099"])
@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_every_date_error_has_a_message(text: str, lang: str) -> None:
    with pytest.raises(DeadlineInputError) as caught:
        parse_date(text, lang, today=date(2026, 11, 25))
    message = describe_error(caught.value, lang)
    assert message and "\n" not in message
    assert text in message


def test_stay_errors_name_the_dates(rules: DeadlineRules, today: date) -> None:
    with pytest.raises(DeadlineInputError) as caught:
        eaeu_stay([Stay(date(2026, 3, 1), date(2026, 2, 1))], rules, today)
    message = plain(describe_error(caught.value, "ru"))
    assert "1 марта 2026 г." in message and "1 февраля 2026 г." in message
    assert not message.endswith("..")
