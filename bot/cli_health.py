"""``python -m bot healthcheck [--webhook]``: is this installation ready to serve?

Usage::

    python -m bot healthcheck              # what `run` needs
    python -m bot healthcheck --webhook    # ... and the webhook settings of `run --webhook`

Four checks, each printed as one line, ``ok`` or ``FAIL`` and what was found:

- settings: every environment variable parses (as ``run`` reads them);
- knowledge base: it loads with no problem and the interface catalogues are installed;
- database: BOT_DB_PATH opens, is this bot's, and takes the write lock (then lets it go at
  once; safe while the bot runs, whose writes wait a moment at most);
- Bot API: ``getMe`` answers to the token, at TELEGRAM_BASE_URL.

Exit codes: 0 every check passed; 1 a check failed; 2 the settings are missing or malformed
(nothing else is checked then). Docker's HEALTHCHECK (see Dockerfile), a systemd
``ExecStartPre`` or a monitor can use it as it is. The token is never printed.
"""

from __future__ import annotations

import argparse
import asyncio

from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.cli_run import EXIT_CONFIG, check_bot_api
from bot.config import ConfigError, Settings
from bot.runtime import knowledge_dir
from bot.storage import Database, StorageError
from dialogs.i18n import LANGUAGES, CatalogueMissingError, translator
from knowledge import check_knowledge

EXIT_FAILED = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "healthcheck", help="check settings, knowledge base, database and the Bot API",
        description="Check what `run` needs: the settings, the knowledge base and catalogues, "
        "the database (writable) and the Bot API (getMe). One line per check; exit 0 if all "
        "pass, 1 if one fails, 2 for bad settings.")
    parser.add_argument("--webhook", action="store_true",
                        help="also require the webhook settings (BOT_WEBHOOK_URL, _SECRET)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env(webhook=args.webhook)
    except ConfigError as error:
        report(False, "settings", str(error))
        return EXIT_CONFIG
    report(True, "settings", f"token {settings.masked_token}"
           + (f", webhook {settings.webhook_url}" if args.webhook else ""))
    results = [check_knowledge_base(settings), check_database(settings),
               check_telegram(settings)]
    return 0 if all(results) else EXIT_FAILED


def report(ok: bool, name: str, detail: str) -> bool:
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
    return ok


def check_knowledge_base(settings: Settings) -> bool:
    folder = knowledge_dir(str(settings.knowledge_dir) if settings.knowledge_dir else None)
    kb, problems = check_knowledge(folder)
    if problems or kb is None:
        first = problems[0] if problems else "cannot be loaded"
        return report(False, "knowledge base",
                      f"{len(problems)} problem(s), the first: {first} (run: validate)")
    try:
        for lang in LANGUAGES:
            translator(lang)
    except CatalogueMissingError as error:
        return report(False, "knowledge base", str(error))
    return report(True, "knowledge base", f"version {kb.version}, {len(kb.faq)} FAQ entries, "
                  f"catalogues {', '.join(LANGUAGES)}")


def check_database(settings: Settings) -> bool:
    async def probe() -> int:
        async with await Database.open(settings.db_path) as db:  # opening takes the write lock
            return await db.schema_version()

    try:
        version = asyncio.run(probe())
    except StorageError as error:
        return report(False, "database", str(error))
    return report(True, "database", f"{settings.db_path} writable, schema version {version}")


def check_telegram(settings: Settings) -> bool:
    try:
        username = asyncio.run(check_bot_api(settings))
    except InvalidToken:
        return report(False, "Bot API", "Telegram refused the token (value hidden)")
    except NetworkError as error:
        return report(False, "Bot API", f"cannot reach {settings.base_url}: {error.message}")
    except TelegramError as error:
        return report(False, "Bot API", f"getMe failed: {error.message}")
    return report(True, "Bot API", f"getMe answers: @{username}")
