"""The SQLite database: opening it safely, migrating it, and units of work.

Usage::

    db = await Database.open(settings.db_path)
    async with db.transaction() as tx:          # BEGIN IMMEDIATE ... COMMIT
        await tx.users.touch(user_id)
        await tx.sessions.save(user_id, state, kb_version)
        await tx.events.add("answer", user_id=user_id, data={"node": "q3"})
    # only now send the reply: what the user sees confirmed is already on disk
    async with db.turn() as tx:                 # a user's update: the same promise, but the
        record = await tx.sessions.get(user_id) # lock is held only while SQLite works, and
        await tx.sessions.save(user_id, ...)    # concurrent turns share one commit
    async with db.read() as r:                  # read-only snapshot
        record = await r.sessions.get(user_id)
    await db.forget_user(user_id)               # /forget, in one transaction
    await db.close()

All access goes through ``transaction()`` or ``read()``. They take an asyncio lock, because the
one connection must not interleave statements of two units of work. Do not open a
unit of work inside another one in the same task: that would wait for itself, so it raises
``RuntimeError`` instead.

Safety rules applied by ``open``: the folder is created; an existing file that is not a SQLite
database, or a SQLite database made by another program, is refused and never written; a schema
newer than this code is refused; WAL journal, ``synchronous=FULL`` by default (a commit survives
even a power cut, not only ``kill -9``; NORMAL on request), foreign keys on and a busy timeout for
locks held by other processes.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.storage._base import Clock, Sql, utc_now
from bot.storage.checklists import ChecklistsRepository
from bot.storage.connection import Connection
from bot.storage.errors import (
    DatabaseCorruptError,
    DatabaseReadOnlyError,
    NotOurDatabaseError,
    SchemaTooNewError,
    StorageError,
    translate,
)
from bot.storage.events import EventsRepository
from bot.storage.handoffs import HandoffsRepository
from bot.storage.inbox import InboxRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.reminders import RemindersRepository
from bot.storage.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from bot.storage.sessions import SessionsRepository
from bot.storage.share_codes import ShareCodesRepository
from bot.storage.turns import GroupCommit, TurnSql
from bot.storage.unanswered import UnansweredRepository
from bot.storage.users import UsersRepository

logger = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT_MS = 5000

# Tables holding personal data; every one has a user_id column. forget_user() empties them.
PERSONAL_TABLES = (
    "users",
    "sessions",
    "checklists",
    "unanswered",
    "events",
    "reminders",
    "share_codes",
    "handoffs",
    "inbox",
    "outbox",
)

# Which Database the current task is inside a unit of work of (to refuse nesting).
_active_unit: contextvars.ContextVar[Database | None] = contextvars.ContextVar(
    "storage_active_unit", default=None
)


@dataclass(frozen=True)
class Transaction:
    """The repositories bound to one unit of work."""

    users: UsersRepository
    sessions: SessionsRepository
    checklists: ChecklistsRepository
    unanswered: UnansweredRepository
    events: EventsRepository
    reminders: RemindersRepository
    share_codes: ShareCodesRepository
    handoffs: HandoffsRepository
    inbox: InboxRepository
    outbox: OutboxRepository
    _sql: Sql

    async def forget_user(self, user_id: int) -> dict[str, int]:
        """Delete every row about the user; returns rows deleted per table."""
        deleted = {}
        for table in PERSONAL_TABLES:
            deleted[table] = await self._sql.run(
                f"DELETE FROM {table} WHERE user_id = ?", (user_id,)
            )
        return deleted

    async def expire_users(self, user_ids: list[int]) -> None:
        """Retention: delete every row about these users, except that their statistics events
        stay, without the user id (counts by day and kind need no one's identity)."""
        rows = [(user_id,) for user_id in user_ids]
        for table in PERSONAL_TABLES:
            if table == "events":
                await self._sql.many("UPDATE events SET user_id = NULL WHERE user_id = ?", rows)
            else:
                await self._sql.many(f"DELETE FROM {table} WHERE user_id = ?", rows)


class Database:
    """One connection to the bot's database. Create with ``await Database.open()``."""

    def __init__(self, conn: Connection, path: Path, clock: Clock) -> None:
        self._db = conn
        self._sql = Sql(conn, path)
        self._clock = clock
        self._lock = asyncio.Lock()
        self.group_commit = GroupCommit(conn, path, self._lock)
        self.path = path

    # ---- opening ---------------------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        clock: Clock = utc_now,
        synchronous: str = "FULL",
    ) -> Database:
        """Open (creating if needed) and migrate the database at ``path``.

        ``synchronous`` is FULL (a commit survives even a power loss) or NORMAL (in WAL mode a
        commit survives a crash or kill -9 of the process, not a power loss; never corruption).

        Raises a ``StorageError`` subclass with a clear message when the file cannot be used.
        """
        path = Path(path)
        _check_path(path)
        try:
            conn = await Connection.open(path)
        except sqlite3.Error as exc:
            raise translate(exc, path) from exc
        if synchronous not in ("FULL", "NORMAL"):
            await conn.close()
            raise ValueError(f"synchronous must be FULL or NORMAL, not {synchronous!r}")
        db = cls(conn, path, clock)
        try:
            await db._prepare(busy_timeout_ms, synchronous)
        except BaseException:
            await conn.close()
            raise
        return db

    async def _prepare(self, busy_timeout_ms: int, synchronous: str) -> None:
        conn, sql = self._db, self._sql
        try:
            await conn.create_function("casefold", 1, _casefold, deterministic=True)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc
        await sql.run(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        await sql.run("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten with zeros, not left in free pages (/forget, retention).
        await sql.run("PRAGMA secure_delete = ON")
        # Reading the header and the schema also detects corrupt files and foreign locks early.
        app_id = int(await sql.scalar("PRAGMA application_id"))
        version = int(await sql.scalar("PRAGMA user_version"))
        tables = int(await sql.scalar("SELECT count(*) FROM sqlite_master"))
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and (version or tables)):
            raise NotOurDatabaseError(
                f"{self.path} is a SQLite database of another program; refusing to change it "
                "(point BOT_DB_PATH at a new file)"
            )
        if version > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"database {self.path} has schema version {version}, but this bot knows only "
                f"up to {SCHEMA_VERSION}; upgrade the bot or restore an older backup"
            )
        mode = await sql.scalar("PRAGMA journal_mode = WAL")
        if str(mode).lower() != "wal":
            raise DatabaseReadOnlyError(
                f"database {self.path}: cannot switch to WAL journal (got {mode!r}); "
                "is the folder writable?"
            )
        await sql.run(f"PRAGMA synchronous = {synchronous}")
        await self._migrate(version)
        await self._probe_writable()

    async def _probe_writable(self) -> None:
        # Fail at start, not at the first user's message, when the file is read-only or another
        # process keeps it locked: take the write lock and touch the header, then roll back.
        await self._sql.run("BEGIN IMMEDIATE")
        try:
            await self._sql.run(f"PRAGMA user_version = {SCHEMA_VERSION}")
        finally:
            await self._rollback_quietly()

    async def _migrate(self, version: int) -> None:
        for target in range(version + 1, SCHEMA_VERSION + 1):
            script = MIGRATIONS[target - 1]
            stamp = f"PRAGMA user_version = {target};"
            if target == 1:
                stamp += f" PRAGMA application_id = {APPLICATION_ID};"
            logger.info("migrating %s to schema version %d", self.path, target)
            try:
                # executescript runs statement by statement; the explicit BEGIN/COMMIT make the
                # script and the version bump one transaction.
                await self._db.executescript(f"BEGIN IMMEDIATE;\n{script}\n{stamp}\nCOMMIT;")
            except sqlite3.Error as exc:
                await self._rollback_quietly()
                raise translate(exc, self.path) from exc

    # ---- units of work -------------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """A write unit of work: committed when the block ends, rolled back if it raises.

        ``BEGIN IMMEDIATE`` travels with the first statement that needs a trip, and the queued
        writes with the ``COMMIT``: a unit that loads one row and writes a few costs two trips.
        """
        async with self._unit():
            self._sql.queue("BEGIN IMMEDIATE")
            try:
                yield self._repositories()
            except BaseException:
                await self._rollback_quietly()
                raise
            try:
                self._sql.queue("COMMIT")
                await self._sql.flush()
            except BaseException:
                await self._rollback_quietly()
                raise

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Transaction]:
        """A read-only snapshot; any write inside raises ``StorageError``."""
        async with self._unit():
            self._sql.queue("PRAGMA query_only = ON")
            self._sql.queue("BEGIN")
            self._sql.eager_writes = True
            try:
                yield self._repositories()
            finally:
                self._sql.eager_writes = False
                if not self._sql.discard():  # the snapshot was opened: close it in one trip
                    if self._db.in_transaction:
                        self._sql.queue("ROLLBACK")
                    await self._sql.run("PRAGMA query_only = OFF")

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[Transaction]:
        """The unit of work of one user's update: committed when the block ends, rolled back if
        it raises, like ``transaction()``, but holding the write lock only while SQLite works
        and committing together with the turns of other users (see ``bot.storage.turns``).

        Only for work on one user's rows whose updates are processed in order, as the Telegram
        adapter's are; anything else takes ``transaction()``.
        """
        async with self._marked():
            unit = TurnSql(self._db, self.path, self._lock, self.group_commit)
            try:
                yield self._repositories(unit)
            except BaseException:
                await unit.abandon()
                raise
            await unit.finish()

    async def forget_user(self, user_id: int) -> dict[str, int]:
        """Delete everything stored about the user in one transaction (for /forget)."""
        async with self.transaction() as tx:
            return await tx.forget_user(user_id)

    async def expire_inactive(self, last_seen_before: datetime, *,
                              batch: int = 500) -> list[int]:
        """Retention: expire (``Transaction.expire_users``) the users not seen since
        ``last_seen_before``; returns their ids. Users still waiting for a reminder are kept.

        A transaction per ``batch`` users, so updates of active users never wait long.
        """
        expired: list[int] = []
        while True:
            async with self.transaction() as tx:
                ids = await tx.users.inactive(last_seen_before, limit=batch)
                if ids:
                    await tx.expire_users(ids)
            expired += ids
            if len(ids) < batch:
                return expired

    @asynccontextmanager
    async def _unit(self) -> AsyncIterator[None]:
        async with self._marked(), self._lock:
            yield

    @asynccontextmanager
    async def _marked(self) -> AsyncIterator[None]:
        if _active_unit.get() is self:
            raise RuntimeError("a unit of work is already open in this task; do not nest them")
        token = _active_unit.set(self)
        try:
            yield
        finally:
            _active_unit.reset(token)

    def _repositories(self, sql: Sql | None = None) -> Transaction:
        sql, clock = sql or self._sql, self._clock
        return Transaction(
            users=UsersRepository(sql, clock),
            sessions=SessionsRepository(sql, clock),
            checklists=ChecklistsRepository(sql, clock),
            unanswered=UnansweredRepository(sql, clock),
            events=EventsRepository(sql, clock),
            reminders=RemindersRepository(sql, clock),
            share_codes=ShareCodesRepository(sql, clock),
            handoffs=HandoffsRepository(sql, clock),
            inbox=InboxRepository(sql, clock),
            outbox=OutboxRepository(sql, clock),
            _sql=sql,
        )

    async def _rollback_quietly(self) -> None:
        await self._sql.roll_back()

    # ---- misc ----------------------------------------------------------------------------

    async def purge_wal(self) -> bool:
        """Copy the write-ahead log into the database file and truncate it to zero bytes, so
        rows just deleted (/forget) leave no copy in ``-wal``; with ``secure_delete`` the
        database file keeps none either. False when a reader still needs the log (SQLite then
        truncates it at a later checkpoint)."""
        async with self._unit():
            row = await self._sql.one("PRAGMA wal_checkpoint(TRUNCATE)")
        return row is not None and int(row[0]) == 0

    async def schema_version(self) -> int:
        async with self._unit():
            return int(await self._sql.scalar("PRAGMA user_version"))

    async def backup_to(self, target: str | Path) -> int:
        """Copy the whole database into the new file ``target`` with SQLite's online backup (safe
        while the bot runs: a consistent snapshot, the bot's writes wait at most a moment), then
        check the copy; returns the number of users in it.

        The copy is one self-contained file (rollback journal, not WAL); the bot switches it back
        to WAL when it opens it. ``target`` must not exist; it appears only once complete.
        """
        target = Path(target)
        if target.exists():
            raise StorageError(f"{target} already exists; refusing to overwrite it "
                               "(choose a new file name)")
        partial = target.with_name(target.name + ".partial")

        def copy(raw: sqlite3.Connection) -> int:
            copy_conn = sqlite3.connect(partial)
            try:
                raw.backup(copy_conn)
                copy_conn.execute("PRAGMA journal_mode = DELETE")
                verdict = copy_conn.execute("PRAGMA integrity_check").fetchone()[0]
                if verdict != "ok":
                    raise DatabaseCorruptError(f"the copy in {partial} failed its check: {verdict}")
                return int(copy_conn.execute("SELECT count(*) FROM users").fetchone()[0])
            finally:
                copy_conn.close()

        try:
            async with self._unit():
                users = await self._db.call(copy)
            partial.replace(target)
        except sqlite3.Error as exc:
            partial.unlink(missing_ok=True)
            raise translate(exc, target) from exc
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise StorageError(f"cannot write the backup {target}: {exc.strerror}") from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return users

    async def close(self) -> None:
        """Close the connection and end its thread."""
        await self._db.close()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def _casefold(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


def _check_path(path: Path) -> None:
    """Create the folder; refuse anything at ``path`` that is not a SQLite database."""
    try:
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseReadOnlyError(
            f"cannot create the folder of database {path}: {exc.strerror}"
        ) from exc
    if not path.exists():
        return
    if not path.is_file():
        raise StorageError(f"database path {path} exists but is not a file")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseReadOnlyError(f"cannot read database {path}: {exc.strerror}") from exc
    # An empty file is what SQLite itself treats as a new database; anything else must carry
    # the SQLite header, or we would overwrite someone's file.
    if header and header != SQLITE_HEADER:
        raise DatabaseCorruptError(
            f"{path} exists but is not a SQLite database; refusing to overwrite it "
            "(move it away or point BOT_DB_PATH elsewhere)"
        )
