"""Named facts and the ``{placeholder}`` texts that use them, formatted per language with Babel.

A figure lives once in ``facts/*.yaml``; texts say ``{arrival_notice_days}`` and get
"3 рабочих дня" / "3 жұмыс күні" / "3 working days". Unit words come from ``meta.yaml`` (Babel's
CLDR data has no "working day", and its Kazakh duration units are incomplete), chosen by the
CLDR plural category of the number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from knowledge.schema import Fact, Meta


def babel_locale(lang: str) -> str:
    """The CLDR locale for dates: British English ("1 July 2023") reads naturally to our users."""
    return "en_GB" if lang == "en" else lang


def long_date(value: dt.date, lang: str) -> str:
    """A date in running text: "1 July 2023", "1 июля 2023 г.", "2023 жылғы 1 шілде".

    CLDR's Kazakh long form ("2023 ж. 1 шілде") reads as an abbreviation; official Kazakh
    texts write "2023 жылғы 1 шілде", which also takes case endings after it naturally.
    """
    if lang == "kk":
        return format_date(value, "y 'жылғы' d MMMM", locale="kk")
    return format_date(value, format="long", locale=babel_locale(lang))


# {{ and }} are literal braces; {name} or {name.2025} is a placeholder.
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
NAME = re.compile(r"^([a-z][a-z0-9_]*)(?:\.(\d{4}))?$")


@dataclass(frozen=True)
class PlaceholderUse:
    raw: str
    name: str | None  # None when the text between braces is not a valid placeholder
    year: int | None


def placeholders(text: str) -> Iterator[PlaceholderUse]:
    """Every ``{...}`` in ``text`` (not counting ``{{`` / ``}}``)."""
    for match in PLACEHOLDER.finditer(text):
        inner = match.group(1)
        if inner is None:
            continue
        parsed = NAME.match(inner.strip())
        if parsed:
            yield PlaceholderUse(match.group(0), parsed.group(1), _year(parsed.group(2)))
        else:
            yield PlaceholderUse(match.group(0), None, None)


def _year(text: str | None) -> int | None:
    return int(text) if text else None


def fact_value_problem(fact: Fact) -> str | None:
    """Why ``fact.value`` does not fit ``fact.type``, or None when it does."""
    value = fact.value
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if fact.type in ("number", "percent", "money", "mci") and not is_number:
        return f"a {fact.type} fact needs a number as value, not {value!r}"
    if fact.type == "duration":
        if not is_number:
            return f"a duration needs a number as value, not {value!r}"
        if fact.unit is None:
            return "a duration needs a unit: days, calendar_days, working_days, months or years"
    elif fact.unit is not None:
        return "only duration facts have a unit"
    if fact.type == "money_by_year":
        if not isinstance(value, Mapping) or not value:
            return "money_by_year needs a mapping of year: amount, e.g. {2026: 4325}"
        for year, amount in value.items():
            if not isinstance(year, int) or not 1990 <= year <= 2100:
                return f"{year!r} is not a year"
            if not isinstance(amount, (int, float)) or isinstance(amount, bool):
                return f"the amount for {year} is not a number"
    if fact.type == "date" and not isinstance(value, dt.date):
        return f"a date fact needs a date written YYYY-MM-DD, not {value!r}"
    if fact.type == "text":
        if not isinstance(value, Mapping) or any(
            not isinstance(value.get(lang), str) or not value.get(lang).strip()
            for lang in ("ru", "kk", "en")
        ):
            missing = [
                lang
                for lang in ("ru", "kk", "en")
                if not isinstance(value, Mapping) or not str(value.get(lang) or "").strip()
            ]
            return f"a text fact needs ru, kk and en texts (missing: {', '.join(missing)})"
        extra = set(value) - {"ru", "kk", "en"}
        if extra:
            return f"unknown language(s) {', '.join(sorted(map(str, extra)))}"
    return None


class FactFormatter:
    """Fills placeholders in texts for one knowledge base."""

    def __init__(
        self,
        facts: Mapping[str, Fact],
        meta: Meta,
        today: Callable[[], dt.date] = dt.date.today,
    ):
        self.facts = facts
        self.meta = meta
        self.today = today
        # Facts never change in a loaded base; only "this year's MCI" depends on the date.
        self._cache: dict[tuple[str, str, int | None, dt.date], str] = {}

    def fill(self, text: str, lang: str) -> str:
        """``text`` with every placeholder replaced by its formatted fact."""

        def replace(match: re.Match[str]) -> str:
            whole = match.group(0)
            if whole == "{{":
                return "{"
            if whole == "}}":
                return "}"
            parsed = NAME.match((match.group(1) or "").strip())
            if not parsed or parsed.group(1) not in self.facts:
                return whole  # the validator reports it; never crash on a user's screen
            return self.format(parsed.group(1), lang, _year(parsed.group(2)))

        return PLACEHOLDER.sub(replace, text)

    def format(self, name: str, lang: str, year: int | None = None) -> str:
        key = (name, lang, year, self.today())
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._format(name, lang, year)
        return cached

    def _format(self, name: str, lang: str, year: int | None) -> str:
        fact = self.facts[name]
        value = fact.value
        if fact.type == "number":
            return format_decimal(value, locale=lang)
        if fact.type == "percent":
            # decimal_quantization=False keeps 0.25 % from being rounded to 0 %
            return format_percent(value / 100, locale=lang, decimal_quantization=False)
        if fact.type == "money":
            return self.tenge(value, lang)
        if fact.type == "money_by_year":
            chosen = year if year is not None else self.current_year(value)
            return self.tenge(value.get(chosen, value[self.current_year(value)]), lang)
        if fact.type == "mci":
            table = self.facts[self.meta.mci_fact].value
            chosen = self.current_year(table)
            return self.meta.mci_template.get(lang).format(
                amount=format_decimal(value, locale=lang),
                tenge=self.tenge(value * table[chosen], lang),
                year=chosen,
            )
        if fact.type == "duration":
            return self.quantity(value, fact.unit or "days", lang)
        if fact.type == "date":
            return long_date(value, lang)
        return str(value[lang]).strip()

    def current_year(self, table: Mapping[int, float]) -> int:
        """This year if the table has it, else the latest year before it, else the first."""
        this_year = self.today().year
        if this_year in table:
            return this_year
        earlier = [year for year in table if year <= this_year]
        return max(earlier) if earlier else min(table)

    def tenge(self, amount: float, lang: str) -> str:
        return self.quantity(amount, "tenge", lang)

    def quantity(self, amount: float, unit: str, lang: str) -> str:
        forms = self.meta.units[unit].get(lang)
        category = Locale.parse(lang).plural_form(amount)
        word = forms.get(category) or forms.get("other") or next(iter(forms.values()))
        number = format_decimal(amount, locale=lang, group_separator=True)
        return f"{number}\u00a0{word}"
