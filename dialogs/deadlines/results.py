"""What the deadline calculators return: plain, immutable dataclasses, plus a JSON view.

Every result names the knowledge-base facts it used (``rule``) and keeps what it skipped or
counted, so :mod:`dialogs.deadlines.format` can say how the answer was reached and a reminder job
can store and reuse it.

Usage::

    to_json_dict(result)    # dates as ISO 8601 strings, ready for json.dumps
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from dialogs.deadlines.workcalendar import DayOff

DeadlineStatus = Literal["upcoming", "today", "overdue"]
RenewalStatus = Literal["not_yet", "prepare", "open", "late", "expired"]


def _status(due: date, today: date) -> DeadlineStatus:
    if today < due:
        return "upcoming"
    return "today" if today == due else "overdue"


@dataclasses.dataclass(frozen=True)
class WorkingDaysDeadline:
    """A deadline N working days after an event (arrival notice, permit fee)."""

    kind: Literal["arrival", "fee"]
    start: date  # the event: date of entry, date the decision notice was received
    working_days: int
    due: date  # the last day to act, always a working day
    skipped: tuple[DayOff, ...]  # days off between start and due, not counted
    today: date
    rule: tuple[str, ...]  # fact ids
    # Years in the period for which the calendar has no decreed transfers of days off yet.
    unverified_years: tuple[int, ...] = ()

    @property
    def days_left(self) -> int:
        """Calendar days from today to the due date (negative when overdue)."""
        return (self.due - self.today).days

    @property
    def status(self) -> DeadlineStatus:
        return _status(self.due, self.today)


@dataclasses.dataclass(frozen=True)
class RenewalWindow:
    """When to apply for a work-permit renewal, counted back from the expiry date."""

    expiry: date
    earliest: date  # first day an application is accepted
    earliest_days: int  # ... that many calendar days before expiry
    latest: date  # last day by the rule
    latest_days: int  # ... that many calendar days before expiry
    latest_working: date  # the last working day on or before ``latest``
    advice_from: date  # the firm's advice: start preparing between these two dates,
    advice_to: date
    advice_months_max: int  # ... that is, this many months before expiry
    advice_months_min: int  # ... to this many
    today: date
    rule: tuple[str, ...]
    unverified_years: tuple[int, ...] = ()  # see WorkingDaysDeadline

    @property
    def status(self) -> RenewalStatus:
        if self.today >= self.expiry:
            return "expired"
        if self.today > self.latest:
            return "late"
        if self.today >= self.earliest:
            return "open"
        return "prepare" if self.today >= self.advice_from else "not_yet"

    @property
    def days_to_earliest(self) -> int:
        return (self.earliest - self.today).days

    @property
    def days_to_latest(self) -> int:
        return (self.latest - self.today).days


@dataclasses.dataclass(frozen=True)
class QuotaDeadline:
    """The date by which an employer applies for next year's quota."""

    hire_year: int  # the year the foreign workers are to be hired
    deadline: date  # applications go in *before* this date
    last_day: date  # the last working day before ``deadline``
    today: date
    rule: tuple[str, ...]
    unverified_years: tuple[int, ...] = ()  # see WorkingDaysDeadline

    @property
    def days_left(self) -> int:
        """Calendar days from today to the last day (negative once it has passed)."""
        return (self.last_day - self.today).days

    @property
    def status(self) -> DeadlineStatus:
        return _status(self.last_day, self.today)


@dataclasses.dataclass(frozen=True)
class Stay:
    """One stay in Kazakhstan; ``exit`` is None while the person is still there."""

    entry: date
    exit: date | None = None


@dataclasses.dataclass(frozen=True)
class EaeuStayResult:
    """Days used and left of the EAEU stay limit in the window that ends on ``on``."""

    stays: tuple[Stay, ...]
    on: date  # the reference date (today unless asked otherwise); the window ends on it
    window_start: date
    window_end: date
    limit_days: int
    window_days: int
    days_used: int  # days in the country inside the window, entry and exit days included
    stay_until: date | None  # staying (or entering) on ``on``: the last allowed day; None if none
    rule: tuple[str, ...]

    @property
    def days_left(self) -> int:
        return max(0, self.limit_days - self.days_used)

    @property
    def over_by(self) -> int:
        return max(0, self.days_used - self.limit_days)


Result = WorkingDaysDeadline | RenewalWindow | QuotaDeadline | EaeuStayResult

_PROPERTIES: Mapping[type, tuple[str, ...]] = {
    WorkingDaysDeadline: ("days_left", "status"),
    RenewalWindow: ("status", "days_to_earliest", "days_to_latest"),
    QuotaDeadline: ("days_left", "status"),
    EaeuStayResult: ("days_left", "over_by"),
}


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {item.name: _plain(getattr(value, item.name)) for item in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def to_json_dict(result: Result) -> dict[str, Any]:
    """Return ``result`` as JSON-ready data: ISO 8601 dates, derived fields included."""
    data = _plain(result)
    for name in _PROPERTIES.get(type(result), ()):
        data[name] = getattr(result, name)
    data["type"] = type(result).__name__
    return data
