"""Storage faults as exceptions with a message an operator can act on.

Every ``sqlite3.Error`` that leaves the storage package is translated by ``translate()`` into a
``StorageError`` subclass, so callers catch one family and can tell the cases apart:

- ``DatabaseReadOnlyError``: the file or its folder cannot be written;
- ``DatabaseLockedError``: another process held a lock for longer than busy_timeout;
- ``DatabaseCorruptError``: the file is damaged, or is not a SQLite database at all
  (``NotOurDatabaseError`` when it is a valid database that belongs to something else);
- ``DiskFullError``: no space left (or the database hit its size limit);
- ``SchemaTooNewError``: the file was written by a newer version of the bot.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StorageError(Exception):
    """Base class: the database cannot do what was asked. ``str()`` is one clear line."""


class DatabaseReadOnlyError(StorageError):
    """The database file or its folder is read-only."""


class DatabaseLockedError(StorageError):
    """Another connection kept the database locked beyond busy_timeout."""


class DatabaseCorruptError(StorageError):
    """The file is damaged or is not a SQLite database."""


class NotOurDatabaseError(DatabaseCorruptError):
    """The file is a SQLite database, but not one created by this bot; it is left untouched."""


class DiskFullError(StorageError):
    """The disk (or the database's size limit) is full; nothing was written."""


class SchemaTooNewError(StorageError):
    """The database schema is newer than this code understands."""


# Primary result codes (the low byte of the extended code), from sqlite3.h.
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


def translate(exc: sqlite3.Error, path: Path | str) -> StorageError:
    """Map a sqlite3 exception to the matching ``StorageError`` with a clear message."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    detail = str(exc)
    lowered = detail.lower()
    if primary == _SQLITE_READONLY or "readonly" in lowered or "read-only" in lowered:
        return DatabaseReadOnlyError(
            f"database {path} is read-only ({detail}); check the file and folder permissions"
        )
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in lowered:
        return DatabaseLockedError(
            f"database {path} is locked by another process ({detail}); is a second bot running?"
        )
    if primary in (_SQLITE_NOTADB, _SQLITE_CORRUPT) or "malformed" in lowered:
        return DatabaseCorruptError(
            f"database {path} is corrupt or not a database ({detail}); restore it from a backup"
        )
    if primary == _SQLITE_FULL or "full" in lowered:
        return DiskFullError(f"database {path}: disk is full ({detail}); nothing was saved")
    if primary in (_SQLITE_CANTOPEN, _SQLITE_PERM):
        return DatabaseReadOnlyError(
            f"cannot open database {path} ({detail}); check that the folder exists and is writable"
        )
    if primary == _SQLITE_IOERR:
        return StorageError(f"database {path}: input/output error ({detail})")
    return StorageError(f"database {path}: {detail}")
