"""The "Deadlines" part of the conversation: pick a calculator, give a date, get the deadline.

A date is typed in any common form (``20.03.2026``, ``20 марта``, ``20 наурыз``) or picked in an
inline month calendar. The result says how it was counted (working days, holidays skipped) and,
where the adapter can send reminders, offers one. Titles and prompts of the calculators come from
``knowledge/base/deadlines.yaml``; the rules (day counts) from the facts.

Like the rest of the engine this is pure: a reminder request comes back as an event for the
adapter to schedule.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections.abc import Callable, Sequence

from babel.dates import format_skeleton, get_day_names

from dialogs.buttons import encode
from dialogs.deadlines import (
    DeadlineInputError,
    DeadlineRules,
    arrival_deadline,
    eaeu_stay,
    fee_deadline,
    quota_deadline,
    renewal_window,
)
from dialogs.deadlines.format import describe_error, format_day, format_result
from dialogs.deadlines.parsing import (
    PREFER_BY_CALCULATOR,
    DateLimits,
    check_plausible,
    parse_date,
    parse_stays,
)
from dialogs.deadlines.results import EaeuStayResult, QuotaDeadline, RenewalWindow, Result
from dialogs.i18n import translator
from dialogs.records import MAX_REMINDERS
from dialogs.reply import Block, Button, Message, Reply, text_blocks
from dialogs.state import Session
from dialogs.turn import EngineReply, Event
from knowledge.clock import now_kz
from knowledge.facts import babel_locale
from knowledge.model import KnowledgeBase

DATE_CALCULATORS = ("arrival", "fee", "renewal")  # one date, typed or picked in the calendar


def deadline_of(result: Result) -> dt.date | None:
    """The one date a reminder should point at, for any calculator result."""
    if isinstance(result, RenewalWindow):
        return result.latest_working
    if isinstance(result, QuotaDeadline):
        return result.last_day
    if isinstance(result, EaeuStayResult):
        return result.stay_until
    return getattr(result, "due", None)


class DeadlineChat:
    def __init__(self, kb: KnowledgeBase, today: Callable[[], dt.date]):
        self.kb = kb
        self.today = today
        self.calculators = kb.deadlines
        self.rules = DeadlineRules.from_knowledge(kb) if kb.deadlines else None

    @property
    def available(self) -> bool:
        return self.rules is not None

    def title(self, calc: str, lang: str) -> str:
        return self.kb.text(self.calculators[calc].title, lang)

    def for_route(self, route: str | None) -> list[str]:
        return [calc for calc, spec in self.calculators.items() if route in spec.routes]

    # --- menus ----------------------------------------------------------------------------------

    def menu(self, session: Session, reply: EngineReply, *, replace: bool = False) -> None:
        _ = translator(session.lang).gettext
        rows = [[Button(encode("d", calc), self.title(calc, session.lang))]
                for calc in self.calculators]
        rows.append([Button(encode("menu"), _("Main menu"))])
        reply.add([Block("title", _("Deadlines")),
                   Block("text", _("I count working days by Kazakhstan's official calendar, "
                                   "holidays and transferred days off included. What do you "
                                   "need to count?"))], rows, replace=replace)

    def open(self, session: Session, calc: str, reply: EngineReply) -> bool:
        if calc not in self.calculators or self.rules is None:
            return False
        if calc == "quota":
            session.awaiting = None
            self._show(session, "quota", None, quota_deadline(self.rules, self.today()), reply)
            return True
        session.awaiting = calc
        blocks = [Block("title", self.title(calc, session.lang))]
        blocks += text_blocks(self.kb.text(self.calculators[calc].prompt, session.lang))
        if calc in DATE_CALCULATORS:
            today = self.today()
            reply.add(blocks, self.calendar_rows(session.lang, calc, today.year, today.month))
        else:
            reply.add(blocks, [[Button(encode("dl"), translator(session.lang).gettext(
                "◀ Deadlines"))]])
        return True

    def calendar_rows(self, lang: str, calc: str, year: int, month: int) -> list[list[Button]]:
        """An inline month calendar: header, weekday names, day buttons, month navigation."""
        _ = translator(lang).gettext
        locale = babel_locale(lang)
        first = dt.date(year, month, 1)
        title = format_skeleton("yMMMM", first, locale=locale)
        rows = [[Button(encode("noop"), title[:1].upper() + title[1:])]]
        names = get_day_names("short", context="stand-alone", locale=locale)
        rows.append([Button(encode("noop"), names[day]) for day in range(7)])
        for week in month_calendar.Calendar(firstweekday=0).monthdayscalendar(year, month):
            rows.append([
                Button(encode("dd", calc, f"{year:04d}{month:02d}{day:02d}"), str(day))
                if day else Button(encode("noop"), "·")  # Telegram refuses blank labels
                for day in week
            ])
        previous = first - dt.timedelta(days=1)
        following = first + dt.timedelta(days=32)
        rows.append([
            Button(encode("dm", calc, f"{previous.year:04d}{previous.month:02d}"), "«"),
            Button(encode("dl"), _("◀ Deadlines")),
            Button(encode("dm", calc, f"{following.year:04d}{following.month:02d}"), "»"),
        ])
        return rows

    def month(self, session: Session, calc: str, yyyymm: str, reply: EngineReply) -> bool:
        if calc not in DATE_CALCULATORS or calc not in self.calculators:
            return False
        try:
            year, month = int(yyyymm[:4]), int(yyyymm[4:])
            dt.date(year, month, 1)
        except ValueError:
            return False
        if len(yyyymm) != 6 or abs(year - self.today().year) > 10:
            return False
        session.awaiting = calc
        blocks = [Block("title", self.title(calc, session.lang))]
        blocks += text_blocks(self.kb.text(self.calculators[calc].prompt, session.lang))
        reply.add(blocks, self.calendar_rows(session.lang, calc, year, month), replace=True)
        return True

    # --- input ----------------------------------------------------------------------------------

    def pick(self, session: Session, calc: str, yyyymmdd: str, reply: EngineReply) -> bool:
        value = _parse_compact(yyyymmdd)
        if value is None or calc not in DATE_CALCULATORS or calc not in self.calculators:
            return False
        today = self.today()
        try:  # a pressed date is checked as a typed one: a forged "29991231" is not a date
            check_plausible(value, format_day(value, session.lang), today, DateLimits())
        except DeadlineInputError as error:
            reply.add([Block("text", describe_error(error, session.lang))],
                      self.calendar_rows(session.lang, calc, today.year, today.month))
            return True
        return self._compute(session, calc, value, reply)

    def text(self, session: Session, text: str, reply: EngineReply) -> bool:
        """Read a typed date (or EAEU stays); False when the text reads as a question instead."""
        calc = session.awaiting
        if calc not in self.calculators or self.rules is None:
            session.awaiting = None
            return False
        today = self.today()
        try:
            if calc == "eaeu":
                stays = parse_stays(text, session.lang, today=today)
                session.awaiting = None
                result = eaeu_stay(stays, self.rules, today)
                self._show(session, calc, None, result, reply)
                return True
            value = parse_date(text, session.lang, today=today,
                               prefer=PREFER_BY_CALCULATOR.get(calc, "nearest"))
        except DeadlineInputError as error:
            if error.code == "unrecognised" and len(text.split()) >= 3:
                session.awaiting = None  # a question, not a date: let the FAQ answer it
                return False
            rows = [[Button(encode("dl"), translator(session.lang).gettext("◀ Deadlines"))]]
            if calc in DATE_CALCULATORS:
                rows = self.calendar_rows(session.lang, calc, today.year, today.month)
            reply.add([Block("text", describe_error(error, session.lang))], rows)
            return True
        return self._compute(session, calc, value, reply)

    def _compute(self, session: Session, calc: str, value: dt.date, reply: EngineReply) -> bool:
        assert self.rules is not None
        today = self.today()
        calculators = {"arrival": arrival_deadline, "fee": fee_deadline, "renewal": renewal_window}
        session.awaiting = None
        self._show(session, calc, value, calculators[calc](value, self.rules, today), reply)
        return True

    def _show(self, session: Session, calc: str, given: dt.date | None, result: Result,
              reply: EngineReply) -> None:

        _ = translator(session.lang).gettext
        blocks = [Block("title", self.title(calc, session.lang))]
        # The calculators write one statement a line; keep them as separate lines.
        blocks += [Block("text", line) for line in format_result(result, session.lang).splitlines()
                   if line.strip()]
        rows: list[list[Button]] = []
        due = deadline_of(result)
        if reply.reminders_available and due is not None and due > self.today():
            stamp = (given or due).strftime("%Y%m%d")
            rows.append([Button(encode("rm", calc, stamp), _("🔔 Remind me"))])
        rows.append([Button(encode("dl"), _("◀ Deadlines")), Button(encode("menu"),
                                                                   _("Main menu"))])
        reply.add(blocks, rows)
        reply.events.append(Event("deadline_computed", {"calculator": calc}))

    def remind(self, session: Session, calc: str, yyyymmdd: str, reply: EngineReply) -> bool:
        """Ask the adapter to remind the user before this deadline."""

        if self.rules is None or not reply.reminders_available or calc not in self.calculators:
            return False
        today = self.today()
        if calc == "quota":
            result: Result = quota_deadline(self.rules, today)
        else:
            value = _parse_compact(yyyymmdd)
            if value is None or calc not in DATE_CALCULATORS:
                return False
            try:  # only a date the calculator would accept typed
                check_plausible(value, yyyymmdd, today, DateLimits())
            except DeadlineInputError:
                return False
            calculators = {"arrival": arrival_deadline, "fee": fee_deadline,
                           "renewal": renewal_window}
            result = calculators[calc](value, self.rules, today)
        due = deadline_of(result)
        if due is None or due <= today:
            return False
        _ = translator(session.lang).gettext
        pending = reply.records.reminders()
        if len(pending) >= MAX_REMINDERS - 1:  # a deadline takes up to two: never promise one
            reply.add([Block("text", _("You already have {count} reminders, the most I can "
                                       "keep. Cancel some in /reminders, then press “🔔 Remind "
                                       "me” again.").format(count=len(pending)))],
                      [[Button(encode("dl"), _("◀ Deadlines")),
                        Button(encode("menu"), _("Main menu"))]])
            reply.events.append(Event("reminder_refused", {"calculator": calc,
                                                           "pending": len(pending)}))
            return True
        reply.events.append(Event("reminder_requested", {
            "calculator": calc, "due": due.isoformat(), "title": self.title(calc, session.lang),
            "lang": session.lang,
        }))
        blocks = [Block("text", _("Done: I will remind you before the deadline, {date}. "
                                  "/reminders lists your reminders and cancels them.").format(
            date=format_day(due, session.lang)))]
        when = self._when(reply.records.reminder_times(due), session.lang)
        if when:
            blocks.append(Block("note", when))
        reply.add(blocks, [[Button(encode("dl"), _("◀ Deadlines")),
                            Button(encode("menu"), _("Main menu"))]])
        return True

    @staticmethod
    def _when(times: Sequence[dt.datetime], lang: str) -> str | None:
        """Exactly when the reminders will come, in Kazakhstan's local time."""
        _ = translator(lang).gettext
        local = [now_kz(at) for at in times]
        if len(local) == 1:
            return _("As the deadline is close, there will be one reminder: {day} at {time}."
                     ).format(day=format_day(local[0].date(), lang),
                              time=local[0].strftime("%H:%M"))
        if len(local) >= 2:
            return _("Reminders: {first} and {second}, at {time}.").format(
                first=format_day(local[0].date(), lang), second=format_day(local[1].date(), lang),
                time=local[0].strftime("%H:%M"))
        return None

    def reminder_message(self, calc: str, due: dt.date, stored_title: str, lang: str,
                         today: dt.date) -> Message:
        """The reminder itself, sent before a deadline on `due`: its title (the one stored with
        the reminder if the calculator is gone), the date and the days left."""
        tr = translator(lang)
        _ = tr.gettext
        days_left = (due - today).days
        if days_left > 0:
            left = tr.ngettext("{n} day left.", "{n} days left.", days_left).format(n=days_left)
        else:
            left = _("The last day is today.")
        when = _("Deadline: {date}.").format(date=format_day(due, lang, "full"))
        title = self.title(calc, lang) if calc in self.calculators else stored_title
        blocks = [
            Block("title", _("🔔 Reminder: {title}").format(title=title)),
            # "1 декабря 2026 г." already ends with a period: one is enough
            Block("text", when[:-1] if when.endswith("..") else when),
            Block("text", left),
        ]
        rows = [[Button(encode("dl"), _("◀ Deadlines")), Button(encode("menu"), _("Main menu"))]]
        return Reply().add(blocks, rows).messages[0]


def _parse_compact(text: str) -> dt.date | None:
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
