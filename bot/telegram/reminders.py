"""Deadline reminders on Telegram: stored with the update, sent by PTB's JobQueue, never lost.

When the user presses "🔔 Remind me" under a deadline, the engine emits ``reminder_requested``
{calculator, due, title, lang}. In the same transaction as the rest of that update,
:meth:`Reminders.store` adds one row per reminder to the ``reminders`` table: 7 days and 1 day
before the deadline at BOT_REMINDER_HOUR local time (Asia/Almaty), skipping those already in
the past; if both are past but the deadline is still ahead, one "on the day" reminder. A
reminder already pending for the same deadline and offset is not added twice.

After the commit, :meth:`Reminders.sync_user` makes the JobQueue match the table for that user
(one ``run_once`` job named ``rem:<id>`` per pending row). At start (``post_init``),
:meth:`Reminders.restore` does the same for everybody: a reminder whose time passed while the
bot was down is sent at once if its deadline has not passed, and dropped otherwise.

Sending (:meth:`Reminders.fire`): in the user's language as stored at send time, with the
deadline's title, date and the days left, plus "Deadlines" and "Main menu" buttons; then
``mark_sent``, so it is never sent twice. A user who blocked the bot (403) is marked blocked and
all their reminders are dropped; a network failure (after the rate limiter's own quick retries)
is retried later with growing delays (``RETRY_DELAYS``), then dropped.

``/reminders`` and its cancel buttons (``rc:<id>``) are the engine's screen: this module gives
the service the user's pending reminders for the turn (:meth:`Reminders.pending_for`), and on
the engine's ``reminder_cancelled`` cancels the row (checked again: the user's own, still
pending) in the same transaction. A forged, foreign or already cancelled id gets the engine's
"this menu is out of date". /forget deletes the rows (storage) and
:meth:`Reminders.drop_jobs` removes the jobs.

Shortened clock for tests (never set it in production; it is not in the settings table):
``BOT_REMINDER_TEST_DELAYS="2s,4s"`` replaces "7 days and 1 day before, at the reminder hour"
by "2 and 4 seconds after the request" (seconds; the ``s`` is optional; at most 10 values).
Everything else is unchanged: rows in SQLite, jobs, restore at start, the message (which still
counts the real days left).

Usage (``bot.telegram.application`` does this)::

    reminders = Reminders(service, application.job_queue, hour=settings.reminder_hour)
    reminders.install()                          # hooks of the service
    await reminders.restore()                    # in post_init, after service.open()
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from telegram import Bot, User
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes, JobQueue

from bot.config import ConfigError
from bot.storage import ReminderRecord, StorageError, Transaction
from bot.telegram.delivery import deliver
from bot.telegram.service import BotService
from dialogs.buttons import encode
from dialogs.deadlines.clock import kz_zone, now_kz
from dialogs.engine import EngineReply, Event
from dialogs.i18n import LANGUAGES
from dialogs.records import MAX_REMINDERS, PendingReminder
from dialogs.state import Session

logger = logging.getLogger(__name__)

KIND = "deadline"  # reminders.kind of these rows
OFFSET_DAYS = (7, 1)  # days before the deadline
JOB_PREFIX = "rem:"
CANCEL_PREFIX = "rc:"
_CANCEL_RE = re.compile(r"^rc:([1-9][0-9]{0,17})$")
MAX_PENDING_PER_USER = MAX_REMINDERS  # keeps a user's footprint and /reminders list small
RETRY_DELAYS = (60.0, 300.0, 1800.0, 3600.0)  # seconds between attempts after network errors
RESTORE_STAGGER = 0.2  # seconds between overdue reminders sent at start (flood limits)
TEST_DELAYS_VARIABLE = "BOT_REMINDER_TEST_DELAYS"
_MAX_TEST_DELAYS = 10

REMINDER_EVENTS = ("reminder_requested", "reminder_cancelled")


# ---- planning (pure) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    offset: str  # "7d", "1d", "0d" (the day itself) or "t1", "t2"... (test delays)
    at: dt.datetime  # aware


def plan(due: dt.date, now: dt.datetime, hour: int,
         test_delays: tuple[float, ...] | None = None) -> list[Planned]:
    """When to remind of a deadline on ``due``, seen at the aware instant ``now``."""
    if test_delays:
        return [Planned(f"t{index}", now + dt.timedelta(seconds=delay))
                for index, delay in enumerate(test_delays, 1)]
    if due < now_kz(now).date():
        return []

    def local(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), kz_zone()).astimezone(dt.UTC)

    planned = [Planned(f"{days}d", local(due - dt.timedelta(days=days)))
               for days in OFFSET_DAYS]
    ahead = [item for item in planned if item.at > now]
    if ahead:
        return ahead
    on_the_day = local(due)
    return [Planned("0d", on_the_day if on_the_day > now else now)]


def test_delays_from_env(environ: Mapping[str, str] | None = None) -> tuple[float, ...] | None:
    """Read BOT_REMINDER_TEST_DELAYS ("2s,4s"); None when unset. Raises ``ConfigError``."""
    raw = (os.environ if environ is None else environ).get(TEST_DELAYS_VARIABLE, "").strip()
    if not raw:
        return None
    delays: list[float] = []
    for part in raw.split(","):
        text = part.strip().removesuffix("s")
        try:
            value = float(text)
        except ValueError:
            raise ConfigError(TEST_DELAYS_VARIABLE, f"{part.strip()!r} is not a number of "
                              "seconds (expected e.g. 2s,4s)") from None
        if not 0 <= value <= 86400:
            raise ConfigError(TEST_DELAYS_VARIABLE, "each delay must be 0-86400 seconds")
        delays.append(value)
    if len(delays) > _MAX_TEST_DELAYS:
        raise ConfigError(TEST_DELAYS_VARIABLE, f"at most {_MAX_TEST_DELAYS} delays")
    return tuple(delays)


def parse_cancel(data: str) -> int | None:
    """The reminder id of a cancel button (``rc:<id>``), or None for anything else."""
    match = _CANCEL_RE.match(data)
    return int(match.group(1)) if match else None


def cancel_id(reminder_id: int) -> str:
    """The engine's cancel button of a reminder."""
    return encode("rc", str(reminder_id))


@dataclass(frozen=True)
class Deadline:
    """The validated payload of a reminder row."""

    calculator: str
    due: dt.date
    title: str
    lang: str
    offset: str

    @classmethod
    def from_payload(cls, payload: Any) -> Deadline | None:
        if not isinstance(payload, dict):
            return None
        try:
            due = dt.date.fromisoformat(str(payload["due"]))
            return cls(str(payload["calculator"]), due, str(payload.get("title", "")),
                       str(payload.get("lang", "")), str(payload.get("offset", "")))
        except (KeyError, ValueError):
            return None

    def payload(self) -> dict[str, str]:
        return {"calculator": self.calculator, "due": self.due.isoformat(), "title": self.title,
                "lang": self.lang, "offset": self.offset}

    @property
    def key(self) -> tuple[str, dt.date, str]:
        return (self.calculator, self.due, self.offset)


# ---- the Telegram side -------------------------------------------------------------------------


class Reminders:
    def __init__(
        self,
        service: BotService,
        job_queue: JobQueue,
        *,
        hour: int = 10,
        test_delays: tuple[float, ...] | None = None,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.service = service
        self.job_queue = job_queue
        self.hour = hour
        self.test_delays = test_delays
        self.retry_delays = retry_delays
        self.now = now
        self._sending: set[int] = set()  # ids being sent right now (their job has left the queue)

    def install(self) -> None:
        """Hook into the service: the user's reminders for the engine, storing and cancelling,
        jobs after commit."""
        self.service.reminder_source = self.pending_for
        self.service.reminder_times = self.times_for
        self.service.reply_hooks.append(self._on_reply)
        self.service.commit_hooks.append(self.after_commit)

    def times_for(self, due: dt.date) -> list[dt.datetime]:
        """When the reminders of a deadline on `due` would go out, for the engine's
        confirmation; none with the shortened test clock (its times mean nothing to a user)."""
        return [] if self.test_delays else [p.at for p in plan(due, self.now(), self.hour)]

    async def pending_for(self, tx: Transaction, user_id: int) -> list[PendingReminder]:
        """The user's pending deadline reminders, as the engine's /reminders shows them."""
        found = []
        for record in await tx.reminders.pending(user_id=user_id):
            deadline = _deadline_of(record)
            if deadline is not None:
                found.append(PendingReminder(record.id, deadline.calculator, deadline.title,
                                             deadline.due, record.due_at))
        return found

    async def _on_reply(self, tx: Transaction, session: Session, user: User,
                        reply: EngineReply) -> None:
        """Store the reminders the engine was asked for; the event keeps only small data."""
        user_id = user.id
        for index, event in enumerate(reply.events):
            if event.kind == "reminder_cancelled":
                record = await tx.reminders.get(int(event.data.get("id", 0)))
                if record is not None and record.user_id == user_id and record.kind == KIND:
                    await tx.reminders.cancel(record.id)
            elif event.kind == "reminder_requested":
                added = await self.store(tx, user_id, event.data)
                reply.events[index] = Event(event.kind, {
                    "calculator": event.data.get("calculator"), "added": len(added)})

    # ---- storing (inside the update's transaction) --------------------------------------------

    async def store(self, tx: Transaction, user_id: int, data: Mapping[str, Any]) -> list[int]:
        """Add the reminders of a ``reminder_requested`` event; returns the new row ids."""
        request = Deadline.from_payload({**data, "offset": ""})
        if request is None or not request.calculator:
            logger.warning("ignoring a malformed reminder request of user %s: %r", user_id, data)
            return []
        pending = await tx.reminders.pending(user_id=user_id)
        existing = {deadline.key for deadline in map(_deadline_of, pending) if deadline}
        room = MAX_PENDING_PER_USER - len(pending)
        added: list[int] = []
        for planned in plan(request.due, self.now(), self.hour, self.test_delays):
            deadline = Deadline(request.calculator, request.due, request.title,
                                request.lang, planned.offset)
            if deadline.key in existing:
                continue
            if len(added) >= room:
                logger.warning("user %s has %d pending reminders; not adding more",
                               user_id, len(pending))
                break
            added.append(await tx.reminders.add(user_id, KIND, planned.at, deadline.payload()))
        return added

    # ---- scheduling -----------------------------------------------------------------------------

    async def after_commit(self, user_id: int, events: list[Event]) -> None:
        """After an update's commit: bring this user's jobs in line with the table if needed."""
        kinds = {event.kind for event in events}
        if "user_forgotten" in kinds:
            self.drop_jobs(user_id)
        elif kinds & set(REMINDER_EVENTS):
            await self.sync_user(user_id)

    async def sync_user(self, user_id: int) -> None:
        async with self.service.database.read() as r:
            pending = [rec for rec in await r.reminders.pending(user_id=user_id)
                       if rec.kind == KIND]
        wanted = {record.id for record in pending}
        for job in self._jobs(user_id):
            if job.data["id"] not in wanted:
                job.schedule_removal()
        for record in pending:
            self._ensure_job(record)

    def drop_jobs(self, user_id: int) -> None:
        """Remove every job of the user (after /forget deleted their rows)."""
        for job in self._jobs(user_id):
            job.schedule_removal()

    async def restore(self) -> None:
        """At start: a job for every pending reminder; overdue ones now, or dropped if too late."""
        now = self.now()
        today = now_kz(now).date()
        async with self.service.database.read() as r:
            pending = [rec for rec in await r.reminders.pending() if rec.kind == KIND]
        late: list[ReminderRecord] = []
        overdue = 0
        for record in pending:
            deadline = _deadline_of(record)
            if record.due_at > now:
                self._ensure_job(record)
            elif deadline is None or deadline.due < today:
                late.append(record)
            else:
                self._ensure_job(record, when=overdue * RESTORE_STAGGER)
                overdue += 1
        if late:
            async with self.service.database.transaction() as tx:
                for record in late:
                    if await tx.reminders.cancel(record.id):
                        await tx.events.add("reminder_dropped", user_id=record.user_id,
                                            data={"reason": "late"})
        logger.info("reminders: %d scheduled (%d overdue, sent now), %d dropped as too late",
                    len(pending) - len(late), overdue, len(late))

    def _jobs(self, user_id: int) -> list[Any]:
        return [job for job in self.job_queue.jobs(f"^{JOB_PREFIX}")
                if job.user_id == user_id]

    def _ensure_job(self, record: ReminderRecord, when: float | None = None) -> None:
        name = f"{JOB_PREFIX}{record.id}"
        if record.id in self._sending or self.job_queue.get_jobs_by_name(name):
            return
        self._schedule(record.id, record.user_id,
                       record.due_at if when is None else when, attempt=0)

    def _schedule(self, reminder_id: int, user_id: int, when: dt.datetime | float,
                  attempt: int) -> None:
        if isinstance(when, dt.datetime) and when <= self.now():
            when = 0.0
        self.job_queue.run_once(
            self.fire, when, name=f"{JOB_PREFIX}{reminder_id}", user_id=user_id,
            chat_id=user_id, data={"id": reminder_id, "attempt": attempt},
            # Run however late (a suspended host, a busy loop): APScheduler would otherwise
            # skip a job that is more than a second late.
            job_kwargs={"misfire_grace_time": None},
        )

    # ---- sending ------------------------------------------------------------------------------

    async def fire(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The job: send one reminder (at most once)."""
        job = context.job
        assert job is not None and isinstance(job.data, dict)
        reminder_id, attempt = int(job.data["id"]), int(job.data.get("attempt", 0))
        if reminder_id in self._sending:
            return
        self._sending.add(reminder_id)
        try:
            await self._send(context.bot, reminder_id, attempt)
        except StorageError as error:  # e.g. the database is locked by a backup: try later
            user_id = job.user_id if job.user_id is not None else 0
            await self._retry(reminder_id, user_id, attempt, error)
        finally:
            self._sending.discard(reminder_id)

    async def _retry(self, reminder_id: int, user_id: int, attempt: int,
                     error: Exception) -> None:
        if attempt < len(self.retry_delays):
            delay = self.retry_delays[attempt]
            logger.warning("reminder %s failed (%s); retry %d of %d in %.0f s", reminder_id,
                           error, attempt + 1, len(self.retry_delays), delay)
            self._schedule(reminder_id, user_id, delay, attempt + 1)
        else:
            logger.error("reminder %s failed %d times (%s); dropped", reminder_id,
                         attempt + 1, error)
            await self._drop(reminder_id, user_id, "failed")

    async def _send(self, bot: Bot, reminder_id: int, attempt: int) -> None:
        database = self.service.database
        async with database.read() as r:
            record = await r.reminders.get(reminder_id)
            user = await r.users.get(record.user_id) if record is not None else None
        if record is None or not record.pending:
            return  # cancelled, forgotten or already sent
        deadline = _deadline_of(record)
        today = now_kz(self.now()).date()
        if deadline is None or deadline.due < today:
            await self._drop(reminder_id, record.user_id, "late")
            return
        if user is not None and user.blocked:
            await self._drop_user(record.user_id)
            return
        lang = _language(user.language if user else None, deadline.lang,
                         self.service.kb.meta.default_language)
        message = self.service.engine.reminder(deadline.calculator, deadline.due,
                                               deadline.title, lang, today)
        try:
            await deliver(bot, record.user_id, [message])
        except Forbidden:
            logger.info("reminder %s: user %s blocked the bot; dropping their reminders",
                        reminder_id, record.user_id)
            await self._drop_user(record.user_id, mark_blocked=True)
            return
        except BadRequest as error:  # e.g. the chat no longer exists: retrying will not help
            logger.warning("reminder %s refused by Telegram (%s); dropped", reminder_id,
                           error.message)
            await self._drop(reminder_id, record.user_id, "refused")
            return
        except TelegramError as error:  # network, timeouts, 5xx, flood limits
            await self._retry(reminder_id, record.user_id, attempt, error)
            return
        async with database.transaction() as tx:
            if await tx.reminders.mark_sent(reminder_id):
                await tx.events.add("reminder_sent", user_id=record.user_id,
                                    data={"calculator": deadline.calculator,
                                          "offset": deadline.offset})

    async def _drop(self, reminder_id: int, user_id: int, reason: str) -> None:
        async with self.service.database.transaction() as tx:
            if await tx.reminders.cancel(reminder_id):
                await tx.events.add("reminder_dropped", user_id=user_id, data={"reason": reason})

    async def _drop_user(self, user_id: int, *, mark_blocked: bool = False) -> None:
        async with self.service.database.transaction() as tx:
            if await tx.users.get(user_id) is None:
                return  # forgotten meanwhile: store nothing about them again
            if mark_blocked:
                await tx.users.set_blocked(user_id, True)
            dropped = await tx.reminders.cancel_for_user(user_id, KIND)
            await tx.events.add("reminder_dropped", user_id=user_id,
                                data={"reason": "blocked", "count": len(dropped)})
        self.drop_jobs(user_id)


def _deadline_of(record: ReminderRecord) -> Deadline | None:
    return Deadline.from_payload(record.payload) if record.kind == KIND else None


def _language(stored: str | None, requested: str, default: str) -> str:
    for lang in (stored, requested):
        if lang in LANGUAGES:
            return lang
    return default


def reminders_available() -> bool:
    """Whether PTB's JobQueue can run here (the ``job-queue`` extra, i.e. APScheduler)."""
    try:
        import apscheduler  # noqa: F401
    except ImportError:
        return False
    return True
