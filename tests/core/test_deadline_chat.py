"""Deadlines in the conversation: the menu, typed and picked dates, the calendar, reminders."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dialogs.engine import ChatEngine
from dialogs.records import MAX_REMINDERS, MemoryRecords, PendingReminder
from dialogs.testing import ChatDriver
from knowledge import load_knowledge

KB = load_knowledge()
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def chat() -> ChatDriver:
    return ChatDriver(ChatEngine(KB, today=lambda: TODAY, reminders=True), lang="en")


def test_the_main_menu_offers_deadlines_and_lists_every_calculator(chat: ChatDriver) -> None:
    chat.send("/start")
    chat.press("Deadlines")
    ids = [b.id for b in chat.buttons()]
    assert ids[:5] == ["d:arrival", "d:fee", "d:renewal", "d:quota", "d:eaeu"]


def test_a_typed_arrival_date_before_nauryz(chat: ChatDriver) -> None:
    chat.send("/start")
    chat.press_id("d:arrival")
    assert chat.session.awaiting == "arrival"
    chat.send("20.03.2026")
    text = chat.text()
    assert "by Monday, 30 March 2026" in text
    # The dash and the month's abbreviation differ between CLDR releases ("21–25 Mar",
    # "21 – 25 March"): what matters is the days and the holiday.
    assert re.search(r"21\W{1,3}25 Mar[a-z]*: Nowruz Holiday", text), text
    assert chat.session.awaiting is None
    assert any(b.id == "rm:arrival:20260320" for b in chat.buttons())


@pytest.mark.parametrize(("lang", "typed", "expected"), [
    ("ru", "20 марта", "30 марта 2026"),
    ("kk", "20 наурыз", "30 наурыз"),
    ("en", "20 March", "30 March 2026"),
])
def test_typed_dates_in_three_languages(lang: str, typed: str, expected: str) -> None:
    chat = ChatDriver(ChatEngine(KB, today=lambda: TODAY), lang=lang)
    chat.send("/start")
    chat.press_id("d:arrival")
    chat.send(typed)
    assert expected in chat.text()


def test_the_calendar_picks_a_date_and_pages_months(chat: ChatDriver) -> None:
    chat.send("/start")
    chat.press_id("d:fee")
    labels = [b.label for b in chat.buttons()]
    assert labels[0] == "March 2026" and labels[1:8] == ["Mo", "Tu", "We", "Th", "Fr", "Sa",
                                                       "Su"]
    chat.press("»")
    assert chat.buttons()[0].label == "April 2026"
    assert chat.last.messages[0].replace is True  # the calendar is edited in place
    chat.press_id("dd:fee:20261210")
    assert "25 December 2026" in chat.text()  # 10 working days; 16 December skipped


def test_invalid_and_implausible_dates_get_a_clear_reply(chat: ChatDriver) -> None:
    chat.send("/start")
    chat.press_id("d:renewal")
    chat.send("31.02.2026")
    assert "is not a real date" in chat.text()
    assert chat.session.awaiting == "renewal"
    chat.send("01.01.2099")
    assert "check the year" in chat.text()
    chat.send("01.01.2027")
    assert "Apply no later than" in chat.text()


def test_a_question_typed_instead_of_a_date_goes_to_the_faq(chat: ChatDriver) -> None:
    chat.send("/start")
    chat.press_id("d:arrival")
    chat.send("how much does a work permit cost")
    assert chat.session.awaiting is None
    assert "MCI" in chat.text()


def test_eaeu_stays(chat: ChatDriver) -> None:
    chat.send("/start")
    chat.press_id("d:eaeu")
    chat.send("10.01.2026-20.02.2026")
    assert "42 of 90" in chat.text()


def test_a_reminder_request_becomes_an_event(chat: ChatDriver) -> None:
    chat.send("/start")
    chat.press_id("d:renewal")
    chat.send("01.01.2027")
    reply = chat.press_id(next(b.id for b in chat.buttons() if b.id.startswith("rm:")))
    event = next(e for e in reply.events if e.kind == "reminder_requested")
    assert event.data["calculator"] == "renewal"
    assert event.data["due"] == "2026-12-02"  # 30 days before expiry, a working day


@pytest.mark.parametrize("forged", ["dd:arrival:20260231", "dd:quota:20260101", "dm:arrival:209901",
                                    "dm:arrival:2026", "rm:fee:20200101", "d:nothing"])
def test_forged_calendar_buttons_are_out_of_date(chat: ChatDriver, forged: str) -> None:
    chat.send("/start")
    chat.press_id(forged)
    assert "out of date" in chat.text()


def test_outcomes_offer_the_calculators_of_their_route(chat: ChatDriver) -> None:
    chat.send("/start")
    chat.press_id("m:worker")
    for press in ("a:citizenship:eaeu", "a:family:none"):
        chat.press_id(press)
    assert any(b.id == "d:eaeu" for b in chat.buttons())


def test_without_reminders_no_remind_button(chat: ChatDriver) -> None:
    plain = ChatDriver(ChatEngine(KB, today=lambda: TODAY), lang="en")
    plain.send("/start")
    plain.press_id("d:arrival")
    plain.send("20.03.2026")
    assert not any(b.id.startswith("rm:") for b in plain.buttons())


def test_a_base_without_deadlines_hides_the_menu(small_engine) -> None:
    chat = ChatDriver(small_engine, lang="en")
    chat.send("/start")
    assert "Deadlines" not in [b.label for b in chat.buttons()]
    chat.press_id("dl")
    assert "out of date" in chat.text()


def test_a_forged_far_date_button_is_checked_as_if_typed(chat: ChatDriver) -> None:
    chat.send("/start")
    chat.press_id("d:arrival")
    reply = chat.press_id("dd:arrival:29991231")
    assert "3000" not in chat.text()  # the forged press used to answer "by 3 January 3000"
    assert not [e for e in reply.events if e.kind == "deadline_computed"]
    typed = ChatDriver(chat.engine, lang="en")
    typed.send("/start")
    typed.press_id("d:arrival")
    typed.send("31.12.2999")
    # The same message as for the typed date, which quotes the date as the user wrote it.
    assert chat.text().split("”", 1)[1] == typed.text().split("”", 1)[1]


def test_a_forged_far_reminder_is_refused(chat: ChatDriver) -> None:
    chat.send("/start")
    reply = chat.press_id("rm:arrival:29991231")
    assert not [e for e in reply.events if e.kind == "reminder_requested"]
    assert "out of date" in chat.text()


class FullRecords(MemoryRecords):
    """A user who already has ``count`` pending reminders."""

    def __init__(self, count: int) -> None:
        super().__init__()
        at = dt.datetime(2026, 12, 1, 4, 0, tzinfo=dt.UTC)
        self.pending = [PendingReminder(100 + n, "renewal", "Renewal", dt.date(2026, 12, 2), at)
                        for n in range(count)]

    def reminders(self):
        return list(self.pending)


@pytest.mark.parametrize(("count", "promised"), [(0, True), (MAX_REMINDERS - 2, True),
                                                 (MAX_REMINDERS - 1, False),
                                                 (MAX_REMINDERS, False)])
def test_remind_me_never_promises_a_reminder_it_cannot_keep(chat: ChatDriver, count: int,
                                                            promised: bool) -> None:
    """#17: past the limit the user reads so, and no reminder is requested."""
    chat.records = FullRecords(count)
    chat.send("/start")
    chat.press_id("d:renewal")
    chat.send("01.01.2027")
    reply = chat.press_id(next(b.id for b in chat.buttons() if b.id.startswith("rm:")))
    kinds = {e.kind for e in reply.events}
    assert ("reminder_requested" in kinds) is promised
    assert ("I will remind you" in chat.text()) is promised
    if not promised:
        assert f"You already have {count} reminders" in chat.text()


def test_reminders_list_and_cancel_only_the_users_own(chat: ChatDriver) -> None:
    chat.records = FullRecords(2)
    chat.send("/reminders")
    assert "1. " in chat.text() and "2. " in chat.text()
    assert {"rc:100", "rc:101"} <= {b.id for b in chat.buttons()}
    reply = chat.press_id("rc:100")
    assert [e.data["id"] for e in reply.events if e.kind == "reminder_cancelled"] == [100]
    assert "Reminder cancelled." in chat.text() and "rc:100" not in {b.id for b in chat.buttons()}
    for forged in ("rc:999", "rc:x", "rc:"):
        reply = chat.press_id(forged)
        assert "out of date" in chat.text()
        assert not [e for e in reply.events if e.kind == "reminder_cancelled"]


class PlannedRecords(MemoryRecords):
    """An adapter that says when a new deadline's reminders would go out."""

    def __init__(self, *times: dt.datetime) -> None:
        super().__init__()
        self.times = list(times)
        self.asked: list[dt.date] = []

    def reminder_times(self, due: dt.date):
        self.asked.append(due)
        return list(self.times)


@pytest.mark.parametrize(("times", "expected"), [
    ((dt.datetime(2026, 12, 25, 5, 0, tzinfo=dt.UTC), dt.datetime(2026, 12, 31, 5, 0,
                                                                   tzinfo=dt.UTC)),
     "Reminders: 25 December 2026 and 31 December 2026, at 10:00."),
    ((dt.datetime(2026, 12, 31, 5, 0, tzinfo=dt.UTC),),
     "there will be one reminder: 31 December 2026 at 10:00."),
    ((), None),
])
def test_the_confirmation_says_when_the_reminders_come(chat: ChatDriver, times, expected) -> None:
    """The engine, not the adapter, writes when the reminders come (#14), in Almaty time."""
    chat.records = PlannedRecords(*times)
    chat.send("/start")
    chat.press_id("d:renewal")
    chat.send("01.01.2027")
    chat.press_id(next(b.id for b in chat.buttons() if b.id.startswith("rm:")))
    text = chat.text()
    assert "I will remind you" in text
    assert chat.records.asked, "the engine asks the records when the reminders come"
    if expected is None:
        assert "Reminders:" not in text and "one reminder" not in text
    else:
        assert expected in text, text


def test_the_reminder_itself_is_the_engines_screen() -> None:
    engine = ChatEngine(KB, today=lambda: TODAY, reminders=True)
    message = engine.reminder("arrival", dt.date(2026, 3, 5), "stored", "en")
    assert "🔔 Reminder: " in message.text and "stored" not in message.text  # the calculator's
    assert "3 days left." in message.text and "5 March 2026" in message.text
    assert [b.id for row in message.buttons for b in row] == ["dl", "menu"]
    gone = engine.reminder("no_such_calculator", TODAY, "Old title", "ru")
    assert gone.blocks[0].text == "🔔 Напоминание: Old title"
    assert "Сегодня последний день." in gone.text
