"""The deadline calculators: pure functions of dates, rules and Kazakhstan's calendar.

How periods are counted (documented once, used everywhere):

* **Working-day periods** (arrival notice, fee payment) start the day *after* the event, the
  usual reading of "within N working days of" (the firm guide: notification "must be submitted
  within three business days from the date of entry", fact ``arrival_notice_days``; the fee is
  paid within ``fee_payment_days`` working days of the decision notice). The event day is not
  counted even when it is a working day, and the due date is the N-th working day after it.
* **Renewal** limits are calendar days before the expiry date (facts
  ``renewal_start_earliest_days`` / ``renewal_start_latest_days``); the firm's advice to start
  preparing is in months (``renewal_advice_months_*``).
* **Quota**: the application for year Y goes in before ``quota_deadline_day``
  ``quota_deadline_month`` of year Y-1 (the firm guide; newer sources disagree, which the fact
  records for admins).
* **EAEU stays**: both the entry and exit days count as days of stay, and the window is the
  ``eaeu_window_days`` days ending on the reference date, both ends included.

Usage::

    rules = DeadlineRules.from_knowledge(kb)
    arrival_deadline(date(2026, 3, 20), rules, today=today_kz()).due   # 2026-03-30
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from dialogs.deadlines.errors import DeadlineInputError
from dialogs.deadlines.results import (
    EaeuStayResult,
    QuotaDeadline,
    RenewalWindow,
    Stay,
    WorkingDaysDeadline,
)
from dialogs.deadlines.rules import DeadlineRules
from dialogs.deadlines.workcalendar import KzCalendar, default_calendar


def _working_days_deadline(
    kind: str, start: date, days: int, fact_id: str, today: date, calendar: KzCalendar | None
) -> WorkingDaysDeadline:
    calendar = calendar or default_calendar()
    due, skipped = calendar.add_working_days(start, days)
    return WorkingDaysDeadline(
        kind=kind,  # type: ignore[arg-type]  # one of the two literals, set by the callers
        start=start,
        working_days=days,
        due=due,
        skipped=skipped,
        today=today,
        rule=(fact_id,),
        unverified_years=calendar.years_without_transfers(start, due),
    )


def arrival_deadline(
    entry: date, rules: DeadlineRules, today: date, calendar: KzCalendar | None = None
) -> WorkingDaysDeadline:
    """Return the last day for the notification of arrival after entering on ``entry``."""
    return _working_days_deadline(
        "arrival", entry, rules.arrival_notice_days, "arrival_notice_days", today, calendar
    )


def fee_deadline(
    notice: date, rules: DeadlineRules, today: date, calendar: KzCalendar | None = None
) -> WorkingDaysDeadline:
    """Return the last day to pay the permit fee after the decision notice of ``notice``."""
    return _working_days_deadline(
        "fee", notice, rules.fee_payment_days, "fee_payment_days", today, calendar
    )


def renewal_window(
    expiry: date, rules: DeadlineRules, today: date, calendar: KzCalendar | None = None
) -> RenewalWindow:
    """Return when to apply for renewal of a permit that expires on ``expiry``."""
    calendar = calendar or default_calendar()
    latest = expiry - timedelta(days=rules.renewal_start_latest_days)
    latest_working = calendar.working_day_on_or_before(latest)
    return RenewalWindow(
        expiry=expiry,
        earliest=expiry - timedelta(days=rules.renewal_start_earliest_days),
        earliest_days=rules.renewal_start_earliest_days,
        latest=latest,
        latest_days=rules.renewal_start_latest_days,
        latest_working=latest_working,
        advice_from=expiry - relativedelta(months=rules.renewal_advice_months_max),
        advice_to=expiry - relativedelta(months=rules.renewal_advice_months_min),
        advice_months_max=rules.renewal_advice_months_max,
        advice_months_min=rules.renewal_advice_months_min,
        today=today,
        rule=(
            "renewal_start_earliest_days",
            "renewal_start_latest_days",
            "renewal_advice_months_min",
            "renewal_advice_months_max",
        ),
        unverified_years=calendar.years_without_transfers(latest_working, latest),
    )


def _quota_dates(hire_year: int, rules: DeadlineRules, calendar: KzCalendar) -> tuple[date, date]:
    deadline = date(hire_year - 1, rules.quota_deadline_month, rules.quota_deadline_day)
    return deadline, calendar.working_day_on_or_before(deadline - timedelta(days=1))


def quota_deadline(
    rules: DeadlineRules,
    today: date,
    hire_year: int | None = None,
    calendar: KzCalendar | None = None,
) -> QuotaDeadline:
    """Return the quota-application deadline for hiring in ``hire_year``.

    Without a year, the first hiring year whose deadline has not passed yet is used, so the
    answer is always one an employer can still act on.
    """
    calendar = calendar or default_calendar()
    if hire_year is None:
        hire_year = today.year + 1
        while _quota_dates(hire_year, rules, calendar)[1] < today:
            hire_year += 1
    elif not date.min.year < hire_year <= date.max.year:
        raise DeadlineInputError("bad_year", str(hire_year))
    deadline, last_day = _quota_dates(hire_year, rules, calendar)
    return QuotaDeadline(
        hire_year=hire_year,
        deadline=deadline,
        last_day=last_day,
        today=today,
        rule=("quota_deadline_month", "quota_deadline_day"),
        unverified_years=calendar.years_without_transfers(last_day, deadline),
    )


def check_stays(stays: Iterable[Stay], on: date) -> tuple[Stay, ...]:
    """Return the stays sorted by entry; raise DeadlineInputError when they cannot be real."""
    ordered = tuple(sorted(stays, key=lambda stay: stay.entry))
    for stay in ordered:
        if stay.exit is not None and stay.exit < stay.entry:
            raise DeadlineInputError("exit_before_entry", "", entry=stay.entry, exit=stay.exit)
        if stay.entry > on:
            raise DeadlineInputError("stay_in_future", "", entry=stay.entry, on=on)
    for earlier, later in itertools.pairwise(ordered):
        # An open stay runs to the reference date, so nothing can follow it. Re-entering on the
        # day of exit (a border run) is allowed: that day is counted once.
        if earlier.exit is None or later.entry < earlier.exit:
            raise DeadlineInputError("stays_overlap", "", first=earlier.entry, second=later.entry)
    return ordered


def _days_present(stays: Iterable[Stay], on: date) -> set[date]:
    present: set[date] = set()
    for stay in stays:
        end = min(stay.exit or on, on)
        present.update(stay.entry + timedelta(days=n) for n in range((end - stay.entry).days + 1))
    return present


def _used_in_window(present: set[date], window_end: date, window_days: int) -> int:
    window_start = window_end - timedelta(days=window_days - 1)
    return sum(1 for day in present if window_start <= day <= window_end)


def eaeu_stay(stays: Iterable[Stay], rules: DeadlineRules, on: date) -> EaeuStayResult:
    """Count days used and left of the EAEU stay limit in the window ending on ``on``.

    ``stay_until`` answers "if I am in the country on ``on`` and stay on, until when may I?":
    the last day for which no window holds more than the limit. It is None when even ``on``
    would break the limit.
    """
    ordered = check_stays(stays, on)
    present = _days_present(ordered, on)
    limit, window = rules.eaeu_stay_days, rules.eaeu_window_days
    used = _used_in_window(present, on, window)

    # Simulate staying on day by day; every later window can only add the new days, and at most
    # `limit` of them can fit, so the loop is short.
    stay_until: date | None = None
    simulated = set(present) | {on}
    day = on
    while _used_in_window(simulated, day, window) <= limit:
        stay_until = day
        day += timedelta(days=1)
        simulated.add(day)
    return EaeuStayResult(
        stays=ordered,
        on=on,
        window_start=on - timedelta(days=window - 1),
        window_end=on,
        limit_days=limit,
        window_days=window,
        days_used=used,
        stay_until=stay_until,
        rule=("eaeu_stay_days", "eaeu_window_days"),
    )
