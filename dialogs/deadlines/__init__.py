"""Deadlines by Kazakhstan's business-day calendar: calculators, date parsing and formatting.

Pure Python, no Telegram imports; the bot's menus and reminder jobs call this package.

Usage::

    from dialogs.deadlines import DeadlineRules, arrival_deadline, parse_date, today_kz
    from dialogs.deadlines.format import format_result

    rules = DeadlineRules.from_knowledge(kb)
    today = today_kz()
    entry = parse_date("20 марта", "ru", today=today, prefer="past")
    print(format_result(arrival_deadline(entry, rules, today), "ru"))
"""

from dialogs.deadlines.calculators import (
    arrival_deadline,
    eaeu_stay,
    fee_deadline,
    quota_deadline,
    renewal_window,
)
from dialogs.deadlines.clock import now_kz, today_kz
from dialogs.deadlines.errors import DeadlineInputError
from dialogs.deadlines.results import (
    EaeuStayResult,
    QuotaDeadline,
    RenewalWindow,
    Result,
    Stay,
    WorkingDaysDeadline,
    to_json_dict,
)
from dialogs.deadlines.rules import DeadlineRules
from dialogs.deadlines.workcalendar import DayOff, KzCalendar, default_calendar

__all__ = [
    "DayOff",
    "DeadlineInputError",
    "DeadlineRules",
    "EaeuStayResult",
    "KzCalendar",
    "QuotaDeadline",
    "RenewalWindow",
    "Result",
    "Stay",
    "WorkingDaysDeadline",
    "arrival_deadline",
    "default_calendar",
    "eaeu_stay",
    "fee_deadline",
    "now_kz",
    "quota_deadline",
    "renewal_window",
    "to_json_dict",
    "today_kz",
]
