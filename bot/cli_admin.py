"""``python -m bot stats``, ``python -m bot unanswered [--export FILE]`` and ``python -m bot
backup FILE``: the admin reports of the Telegram commands /stats and /unanswered, from the same
database (BOT_DB_PATH) and the same code (``bot.stats``, ``bot.faq_drafts``),
and a copy of that database. No token needed; safe while the bot runs (SQLite WAL lets these
readers in; the backup is SQLite's online backup, a consistent snapshot).

Usage::

    BOT_DB_PATH=data/bot.sqlite3 python -m bot stats [--lang en]
    python -m bot unanswered [--limit 20] [--export drafts.yaml]   # "-" exports to stdout
    python -m bot backup backups/bot-$(date +%F).sqlite3           # a new file; never overwrites

To restore, stop the bot, put the copy at BOT_DB_PATH (remove the old file's -wal and -shm
files with it) and start the bot.

Exit codes: 0 done; 1 the knowledge base has errors; 2 bad settings, or no database at the path.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from bot import faq_drafts, stats
from bot.config import ConfigError, Settings
from bot.runtime import load_or_exit
from bot.storage import Database, StorageError
from dialogs.admin import stats_blocks, unanswered_blocks
from dialogs.deadlines import today_kz
from dialogs.i18n import LANGUAGES
from dialogs.reply import plain_text
from dialogs.search import FaqSearch

T = TypeVar("T")

EXIT_CONFIG = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "stats", help="usage statistics from the bot's database",
        description="Users, interviews started and finished, drop-off, top FAQ answers and "
        "unanswered questions, read from BOT_DB_PATH (as /stats in Telegram).")
    _common(parser)
    parser.set_defaults(func=run_stats)
    parser = subparsers.add_parser(
        "unanswered", help="the latest unanswered questions, and FAQ drafts as YAML",
        description="The latest unanswered questions with counts (as /unanswered in Telegram); "
        "--export writes draft FAQ entries for them as YAML.")
    _common(parser)
    parser.add_argument("--limit", type=int, default=faq_drafts.DEFAULT_LIMIT,
                        help="how many distinct questions (default %(default)s)")
    parser.add_argument("--export", metavar="FILE",
                        help="write the draft FAQ entries to FILE ('-' for standard output)")
    parser.set_defaults(func=run_unanswered)
    parser = subparsers.add_parser(
        "backup", help="copy the bot's database to a new file (safe while the bot runs)",
        description="Copy BOT_DB_PATH into FILE with SQLite's online backup, check the copy, "
        "and print how many users it holds. FILE must not exist yet.")
    parser.add_argument("file", metavar="FILE", help="the new backup file")
    parser.set_defaults(func=run_backup)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="report language")
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge folder (for titles)")


def _database_path() -> Path | None:
    try:
        settings = Settings.from_env(require_token=False)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return None
    if not settings.db_path.is_file():
        print(f"no database at {settings.db_path} (set BOT_DB_PATH)", file=sys.stderr)
        return None
    return settings.db_path


def _read(path: Path, query: Callable[[Database], Awaitable[T]]) -> T | None:
    """Run ``query`` on the database (closed afterwards); None after a one-line storage error."""

    async def run() -> T:
        async with await Database.open(path) as db:
            return await query(db)

    try:
        return asyncio.run(run())
    except StorageError as error:
        print(f"storage error: {error}", file=sys.stderr)
        return None


def run_stats(args: argparse.Namespace) -> int:
    path = _database_path()
    if path is None:
        return EXIT_CONFIG
    kb = load_or_exit(args.knowledge)
    figures = _read(path, stats.collect)
    if figures is None:
        return EXIT_CONFIG
    print(plain_text(stats_blocks(figures, kb, args.lang)))
    return 0


def run_unanswered(args: argparse.Namespace) -> int:
    path = _database_path()
    if path is None:
        return EXIT_CONFIG
    kb = load_or_exit(args.knowledge)
    found = _read(path, lambda db: faq_drafts.latest(db, limit=max(1, args.limit)))
    if found is None:
        return EXIT_CONFIG
    if args.export != "-":
        print(plain_text(unanswered_blocks(found, args.lang)))
    if args.export:
        search = FaqSearch.for_knowledge(kb)
        text = faq_drafts.skeleton_yaml(found, search, kb, today_kz())
        if args.export == "-":
            sys.stdout.write(text)
        else:
            Path(args.export).write_text(text, encoding="utf-8")
            print(f"{len(found)} draft entries written to {args.export}", file=sys.stderr)
    return 0


def run_backup(args: argparse.Namespace) -> int:
    path = _database_path()
    if path is None:
        return EXIT_CONFIG
    target = Path(args.file)
    users = _read(path, lambda db: db.backup_to(target))
    if users is None:
        return EXIT_CONFIG
    size = target.stat().st_size / 2**20
    print(f"backed up {path} to {target}: {users} users, {size:.1f} MiB, integrity ok")
    return 0
