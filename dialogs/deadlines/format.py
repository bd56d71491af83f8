"""Deadline results and input errors as text in ru, kk or en.

Dates go through Babel (``format_date``, ``format_interval``); interface strings through
gettext (:func:`dialogs.i18n.translator`), with English msgids. The text is plain (no markup),
one statement a line, so the Telegram layer can send it as is or wrap it.

Usage::

    from dialogs.deadlines.format import describe_error, format_result
    format_result(arrival_deadline(entry, rules, today), "kk")
    describe_error(error, "ru")          # error: DeadlineInputError
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

from babel.dates import format_date, format_interval, format_skeleton
from babel.support import NullTranslations

from dialogs.deadlines.errors import DeadlineInputError
from dialogs.deadlines.results import (
    EaeuStayResult,
    QuotaDeadline,
    RenewalWindow,
    Result,
    WorkingDaysDeadline,
)
from dialogs.deadlines.workcalendar import DayOff
from dialogs.i18n import normalise_language, translator
from knowledge.facts import babel_locale

# Languages whose holiday names the `holidays` package provides itself.
_PACKAGE_NAME_LANGUAGES = ("kk", "en")


def _tr(lang: str) -> NullTranslations:
    return translator(normalise_language(lang))


def _join(lines: Iterable[str]) -> str:
    """One statement a line; a date that ends in a period ("2026 г.") takes the line's period."""
    return "\n".join(line[:-1] if line.endswith("..") else line for line in lines)


def format_day(day: date, lang: str, width: str = "long") -> str:
    """Return a date as people write it in ``lang`` (``"full"`` adds the weekday)."""
    return format_date(day, width, locale=babel_locale(normalise_language(lang)))


def format_span(first: date, last: date, lang: str) -> str:
    """Return "21–25 March" (or one day) in ``lang``, without the year."""
    locale = babel_locale(normalise_language(lang))
    if first == last:
        return format_skeleton("MMMMd", first, locale=locale)
    return format_interval(first, last, skeleton="MMMMd", locale=locale)


def holiday_name(off: DayOff, lang: str) -> str:
    """Return the name of a day off in ``lang`` ("weekend" for a plain Saturday or Sunday)."""
    lang = normalise_language(lang)
    _ = _tr(lang).gettext
    if off.kind == "weekend":
        return _("weekend")
    if lang in _PACKAGE_NAME_LANGUAGES:
        name = off.names.get(lang, "")
    else:
        name = "; ".join(_(part) for part in off.names.get("en", "").split("; "))
    if off.moved_from is not None:
        name = _("{name} (moved from {date})").format(
            name=name, date=format_day(off.moved_from, lang)
        )
    if off.estimated:
        name = _("{name} (date estimated)").format(name=name)
    return name


def _group_days_off(skipped: Iterable[DayOff], lang: str) -> list[tuple[date, date, str]]:
    """Join consecutive days off with the same name: (first, last, name)."""
    groups: list[tuple[date, date, str]] = []
    for off in skipped:
        name = holiday_name(off, lang)
        if groups and groups[-1][2] == name and groups[-1][1] + timedelta(days=1) == off.day:
            groups[-1] = (groups[-1][0], off.day, name)
        else:
            groups.append((off.day, off.day, name))
    return groups


def explain_skipped(skipped: Sequence[DayOff], lang: str) -> str:
    """Return e.g. "Not counted: 21–25 March: Nowruz Holiday; 28–29 March: weekend."."""
    _ = _tr(lang).gettext
    if not skipped:
        return _("No weekends or holidays in between.")
    parts = [
        _("{days}: {name}").format(days=format_span(first, last, lang), name=name)
        for first, last, name in _group_days_off(skipped, lang)
    ]
    return _("Not counted: {days_off}.").format(days_off="; ".join(parts))


def _unverified_note(years: Sequence[int], lang: str) -> list[str]:
    if not years:
        return []
    _ = _tr(lang).gettext
    return [
        _(
            "The calendar has no government transfers of days off for {years} yet; "
            "check the official production calendar."
        ).format(years=", ".join(str(year) for year in years))
    ]


def _deadline_status(days_left: int, lang: str) -> str:
    tr = _tr(lang)
    if days_left > 0:
        return tr.ngettext("{n} day left.", "{n} days left.", days_left).format(n=days_left)
    if days_left == 0:
        return tr.gettext("The last day is today.")
    overdue = -days_left
    return tr.ngettext(
        "This date passed {n} day ago.", "This date passed {n} days ago.", overdue
    ).format(n=overdue)


def format_working_days_deadline(result: WorkingDaysDeadline, lang: str) -> str:
    """Arrival notice or fee payment: the due date, how it was counted, what is left."""
    tr = _tr(lang)
    _ = tr.gettext
    due = format_day(result.due, lang, "full")
    if result.kind == "arrival":
        title = _("Notification of arrival: by {date} inclusive.").format(date=due)
        counted = tr.ngettext(
            "{n} working day counted from the day after the entry on {date}.",
            "{n} working days counted from the day after the entry on {date}.",
            result.working_days,
        )
    else:
        title = _("Permit fee: pay by {date} inclusive.").format(date=due)
        counted = tr.ngettext(
            "{n} working day counted from the day after the decision notice of {date}.",
            "{n} working days counted from the day after the decision notice of {date}.",
            result.working_days,
        )
    lines = [
        title,
        counted.format(n=result.working_days, date=format_day(result.start, lang)),
        explain_skipped(result.skipped, lang),
        _deadline_status(result.days_left, lang),
    ]
    return _join(lines + _unverified_note(result.unverified_years, lang))


def format_renewal(result: RenewalWindow, lang: str) -> str:
    """The renewal window, the advice to prepare, and where today stands."""
    tr = _tr(lang)
    _ = tr.gettext
    earliest_days, latest_days = result.earliest_days, result.latest_days
    lines = [
        _("Permit renewal, permit valid until {date}.").format(
            date=format_day(result.expiry, lang)
        ),
        tr.ngettext(
            "Apply no earlier than {date} ({n} day before expiry).",
            "Apply no earlier than {date} ({n} days before expiry).",
            earliest_days,
        ).format(date=format_day(result.earliest, lang), n=earliest_days),
        tr.ngettext(
            "Apply no later than {date} ({n} day before expiry).",
            "Apply no later than {date} ({n} days before expiry).",
            latest_days,
        ).format(date=format_day(result.latest, lang), n=latest_days),
    ]
    if result.latest_working != result.latest:
        lines.append(
            _("{date} is a day off, so the last working day to apply is {working}.").format(
                date=format_day(result.latest, lang),
                working=format_day(result.latest_working, lang, "full"),
            )
        )
    lines.append(
        _(
            "We advise starting to prepare {min}–{max} months before expiry: "
            "between {start} and {end}."
        ).format(
            min=result.advice_months_min,
            max=result.advice_months_max,
            start=format_day(result.advice_from, lang),
            end=format_day(result.advice_to, lang),
        )
    )
    status = result.status
    if status == "not_yet":
        lines.append(
            tr.ngettext(
                "Applications open in {n} day.",
                "Applications open in {n} days.",
                result.days_to_earliest,
            ).format(n=result.days_to_earliest)
        )
    elif status == "prepare":
        lines.append(
            tr.ngettext(
                "Time to prepare the documents: applications open in {n} day.",
                "Time to prepare the documents: applications open in {n} days.",
                result.days_to_earliest,
            ).format(n=result.days_to_earliest)
        )
    elif status == "open":
        lines.append(
            tr.ngettext(
                "Applications are open now; {n} day left to apply.",
                "Applications are open now; {n} days left to apply.",
                result.days_to_latest,
            ).format(n=result.days_to_latest)
        )
    elif status == "late":
        lines.append(_("The last day to apply has passed: please talk to a consultant."))
    else:
        lines.append(_("The permit has expired: please talk to a consultant."))
    return _join(lines + _unverified_note(result.unverified_years, lang))


def format_quota(result: QuotaDeadline, lang: str) -> str:
    """When to have the quota application ready for a hiring year: collection usually opens on
    the rule's date, and the akimat announces the window (review 2026-12 A.6)."""
    _ = _tr(lang).gettext
    lines = [
        _("Quota application for hiring in {year}: collection usually opens on {deadline}; "
          "the employment department of your akimat announces the exact dates.").format(
            year=result.hire_year, deadline=format_day(result.deadline, lang)
        ),
        _("Have the application ready by {date}.").format(
            date=format_day(result.last_day, lang, "full")
        ),
        _deadline_status(result.days_left, lang),
    ]
    return _join(lines + _unverified_note(result.unverified_years, lang))


def format_eaeu(result: EaeuStayResult, lang: str) -> str:
    """Days used and left of the EAEU stay limit, and how long one may stay from now."""
    tr = _tr(lang)
    _ = tr.gettext
    lines = [
        tr.ngettext(
            "Days in Kazakhstan from {start} to {end}: {used} of {limit} allowed.",
            "Days in Kazakhstan from {start} to {end}: {used} of {limit} allowed.",
            result.days_used,
        ).format(
            start=format_day(result.window_start, lang),
            end=format_day(result.window_end, lang),
            used=result.days_used,
            limit=result.limit_days,
        ),
        tr.ngettext(
            "The window is the last {n} day; the days of entry and exit both count.",
            "The window is the last {n} days; the days of entry and exit both count.",
            result.window_days,
        ).format(n=result.window_days),
    ]
    if result.over_by:
        lines.append(
            tr.ngettext(
                "The limit is exceeded by {n} day: please talk to a consultant.",
                "The limit is exceeded by {n} days: please talk to a consultant.",
                result.over_by,
            ).format(n=result.over_by)
        )
    else:
        lines.append(
            tr.ngettext("{n} day left.", "{n} days left.", result.days_left).format(
                n=result.days_left
            )
        )
    if result.stay_until is not None:
        lines.append(
            _("Staying from {date} on, you may stay until {until} inclusive.").format(
                date=format_day(result.on, lang), until=format_day(result.stay_until, lang, "full")
            )
        )
    else:
        lines.append(
            _("Staying on {date} would already break the limit.").format(
                date=format_day(result.on, lang)
            )
        )
    return _join(lines)


_FORMATTERS: dict[type, Callable[..., str]] = {
    WorkingDaysDeadline: format_working_days_deadline,
    RenewalWindow: format_renewal,
    QuotaDeadline: format_quota,
    EaeuStayResult: format_eaeu,
}


def format_result(result: Result, lang: str) -> str:
    """Return any calculator result as text in ``lang``."""
    return _FORMATTERS[type(result)](result, lang)


def describe_error(error: DeadlineInputError, lang: str) -> str:
    """Return one sentence in ``lang`` that says what is wrong with the input."""
    return _join([_describe_error(error, lang)])


def _describe_error(error: DeadlineInputError, lang: str) -> str:
    tr = _tr(lang)
    _ = tr.gettext
    params = {
        key: format_day(value, lang) if isinstance(value, date) else value
        for key, value in error.params.items()
    }
    text = error.text.strip()
    code = error.code
    if code == "empty":
        return _("Please type a date, for example 20.03.2026.")
    if code == "unrecognised":
        return _(
            "“{text}” does not look like a date. Type it as 20.03.2026 or 20 March 2026."
        ).format(text=text)
    if code == "impossible_date":
        return _("“{text}” is not a real date: check the day and the month.").format(text=text)
    if code == "too_far_past":
        years = int(params.get("years", 0))
        return tr.ngettext(
            "“{text}” is more than {n} year ago; please check the year.",
            "“{text}” is more than {n} years ago; please check the year.",
            years,
        ).format(text=text, n=years)
    if code == "too_far_future":
        years = int(params.get("years", 0))
        return tr.ngettext(
            "“{text}” is more than {n} year ahead; please check the year.",
            "“{text}” is more than {n} years ahead; please check the year.",
            years,
        ).format(text=text, n=years)
    if code == "bad_year":
        return _("“{text}” is not a year I can count for.").format(text=text)
    if code == "bad_stay":
        return _(
            "“{text}” is not a stay: write the entry and exit dates as 10.01.2026-20.02.2026, "
            "and leave the exit out if you are still in Kazakhstan."
        ).format(text=text)
    if code == "exit_before_entry":
        return _("A stay cannot end on {exit} before it starts on {entry}.").format(**params)
    if code == "stays_overlap":
        return _("The stays that start on {first} and {second} overlap.").format(**params)
    return _("The stay that starts on {entry} is after {on}; list past stays only.").format(
        **params
    )
