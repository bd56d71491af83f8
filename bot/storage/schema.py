"""The database schema as an ordered list of migrations.

``MIGRATIONS[i]`` upgrades a database from ``PRAGMA user_version = i`` to ``i + 1``. Each script
runs inside its own transaction together with the ``user_version`` bump, so a failed migration
leaves the file at the previous version. Never edit a released migration: append a new one.

Conventions that keep a user's footprint small (target: at most 4 KB per user):
- times are INTEGER Unix seconds (UTC); the repositories convert to ``datetime``;
- JSON is stored as compact TEXT (no spaces, no ASCII escaping);
- every table holding personal data has a ``user_id`` column, which ``forget_user`` relies on
  (a test checks that it covers every such table).
"""

from __future__ import annotations

# Marks files created by this bot (PRAGMA application_id), so we never migrate someone else's
# database. The value is arbitrary: "KZWB" as four ASCII bytes.
APPLICATION_ID = 0x4B5A5742

MIGRATIONS: tuple[str, ...] = (
    # 1: the core state of the first release.
    """
    CREATE TABLE users (
        user_id     INTEGER PRIMARY KEY,
        language    TEXT,
        first_seen  INTEGER NOT NULL,
        last_seen   INTEGER NOT NULL,
        blocked     INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX users_last_seen ON users (last_seen);

    CREATE TABLE sessions (
        user_id     INTEGER PRIMARY KEY,
        state       TEXT NOT NULL,
        kb_version  TEXT NOT NULL,
        updated_at  INTEGER NOT NULL
    );

    CREATE TABLE checklists (
        user_id     INTEGER NOT NULL,
        route       TEXT NOT NULL,
        document_id TEXT NOT NULL,
        done        INTEGER NOT NULL DEFAULT 0,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (user_id, route, document_id)
    ) WITHOUT ROWID;

    CREATE TABLE unanswered (
        id          INTEGER PRIMARY KEY,
        user_id     INTEGER,
        text        TEXT NOT NULL,
        lang        TEXT NOT NULL,
        at          INTEGER NOT NULL,
        best_score  REAL,
        kind        TEXT NOT NULL
    );
    CREATE INDEX unanswered_at ON unanswered (at);
    CREATE INDEX unanswered_user ON unanswered (user_id);

    CREATE TABLE events (
        id          INTEGER PRIMARY KEY,
        user_id     INTEGER,
        kind        TEXT NOT NULL,
        data        TEXT,
        at          INTEGER NOT NULL
    );
    CREATE INDEX events_kind_at ON events (kind, at);
    CREATE INDEX events_user ON events (user_id);
    """,
    # 2: features of later issues: reminders, share links, hand-off to a consultant.
    """
    CREATE TABLE reminders (
        id          INTEGER PRIMARY KEY,
        user_id     INTEGER NOT NULL,
        kind        TEXT NOT NULL,
        due_at      INTEGER NOT NULL,
        payload     TEXT,
        sent_at     INTEGER,
        cancelled   INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX reminders_pending ON reminders (due_at) WHERE sent_at IS NULL AND cancelled = 0;
    CREATE INDEX reminders_user ON reminders (user_id);

    CREATE TABLE share_codes (
        code        TEXT PRIMARY KEY,
        user_id     INTEGER,
        payload     TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX share_codes_user ON share_codes (user_id);
    CREATE INDEX share_codes_expiry ON share_codes (expires_at);

    CREATE TABLE handoffs (
        id          INTEGER PRIMARY KEY,
        user_id     INTEGER NOT NULL,
        payload     TEXT NOT NULL,
        status      TEXT NOT NULL DEFAULT 'pending',
        attempts    INTEGER NOT NULL DEFAULT 0,
        last_error  TEXT,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
    );
    CREATE INDEX handoffs_status ON handoffs (status);
    CREATE INDEX handoffs_user ON handoffs (user_id);
    """,
    # 3: the inbox of updates fetched from Telegram, stored before
    # they are confirmed (bot.telegram.polling); payload is emptied once the update is handled,
    # and only the newest handled row is kept, for the next getUpdates offset.
    """
    CREATE TABLE inbox (
        update_id   INTEGER PRIMARY KEY,
        user_id     INTEGER,
        payload     TEXT NOT NULL,
        attempts    INTEGER NOT NULL DEFAULT 0,
        handled     INTEGER NOT NULL DEFAULT 0,
        received_at INTEGER NOT NULL
    );
    CREATE INDEX inbox_pending ON inbox (handled, update_id);
    CREATE INDEX inbox_user ON inbox (user_id);
    """,
    # 4: the outbox: a turn's rendered reply, written with what the turn changed and deleted
    # once sent (bot.storage.outbox), so a kill between the two loses no reply.
    """
    CREATE TABLE outbox (
        update_id   INTEGER PRIMARY KEY,
        user_id     INTEGER NOT NULL,
        chat_id     INTEGER NOT NULL,
        payload     TEXT NOT NULL,
        created_at  INTEGER NOT NULL
    );
    CREATE INDEX outbox_user ON outbox (user_id);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
