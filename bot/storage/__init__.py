"""Durable state of the bot in SQLite (stdlib sqlite3, one worker thread per connection): users,
dialog sessions, checklists, unanswered questions, statistics events, reminders, share codes and
hand-off requests.

Usage::

    from bot.storage import Database, StorageError

    db = await Database.open("data/bot.sqlite3")
    async with db.transaction() as tx:
        await tx.sessions.save(user_id, {"flow": "worker", "node": "q1"}, kb_version="2026-11-25")
        await tx.events.add("flow_started", user_id=user_id, data={"flow": "worker"})

See ``bot.storage.database`` for the rules (one unit of work at a time, commit before reply).
"""

from bot.storage.checklists import ChecklistsRepository
from bot.storage.database import PERSONAL_TABLES, Database, Transaction
from bot.storage.errors import (
    DatabaseCorruptError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DiskFullError,
    NotOurDatabaseError,
    SchemaTooNewError,
    StorageError,
)
from bot.storage.events import EventRecord, EventsRepository
from bot.storage.handoffs import HandoffRecord, HandoffsRepository
from bot.storage.reminders import ReminderRecord, RemindersRepository
from bot.storage.schema import SCHEMA_VERSION
from bot.storage.sessions import SessionRecord, SessionsRepository
from bot.storage.share_codes import ShareCode, ShareCodesRepository
from bot.storage.unanswered import UnansweredRecord, UnansweredRepository, UnansweredSummary
from bot.storage.users import UserRecord, UsersRepository, UserStats

__all__ = [
    "PERSONAL_TABLES",
    "SCHEMA_VERSION",
    "ChecklistsRepository",
    "Database",
    "DatabaseCorruptError",
    "DatabaseLockedError",
    "DatabaseReadOnlyError",
    "DiskFullError",
    "EventRecord",
    "EventsRepository",
    "HandoffRecord",
    "HandoffsRepository",
    "NotOurDatabaseError",
    "ReminderRecord",
    "RemindersRepository",
    "SchemaTooNewError",
    "SessionRecord",
    "SessionsRepository",
    "ShareCode",
    "ShareCodesRepository",
    "StorageError",
    "Transaction",
    "UnansweredRecord",
    "UnansweredRepository",
    "UnansweredSummary",
    "UserRecord",
    "UserStats",
    "UsersRepository",
]
